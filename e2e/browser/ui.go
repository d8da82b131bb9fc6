package browser

// ui holds the JavaScript by which the Notebook helpers reach one notebook UI. Functions take
// the cell index i (-1: the whole notebook) and run in the notebook page.
type ui struct {
	name        string
	ready       string // () => bool: notebook loaded, kernel connected (and idle)
	kernelIdle  string // () => bool
	runAll      string // () => void
	runCell     string // (i) => void, returns at once
	cellDone    string // (i) => bool: not queued, not running
	allDone     string // () => bool: no code cell queued or running
	outputRoot  string // (i) => Element|null: cell i's output area, the notebook when i < 0
	input       string // CSS selector of an input box (input_request)
	outputsJSON string // (i) => string: cell i's outputs as nbformat JSON
	cell        string // (i) => Element: cell i
	notebook    string // () => Element: the notebook
	dialog      string // () => string: the title of an open modal dialog, or ""
	dismiss     string // () => void: press the dialog's default button
	addCell     string // (src) => number: append a code cell holding src, return its index
	cells       string // () => number: how many cells the notebook has
}

// classicUI is Notebook 6.4 (the global Jupyter.notebook).
var classicUI = &ui{
	name: "classic Notebook",
	ready: `() => !!(window.Jupyter && Jupyter.notebook && Jupyter.notebook._fully_loaded &&
		Jupyter.notebook.kernel && Jupyter.notebook.kernel.is_connected())`,
	kernelIdle: `() => !!document.querySelector('#kernel_indicator_icon.kernel_idle_icon')`,
	runAll:     `() => Jupyter.notebook.execute_all_cells()`,
	runCell:    `(i) => Jupyter.notebook.execute_cells([i])`,
	cellDone:   `(i) => { const c = Jupyter.notebook.get_cell(i); return c.input_prompt_number !== '*' }`,
	allDone: `() => Jupyter.notebook.get_cells().every(
		c => c.cell_type !== 'code' || c.input_prompt_number !== '*')`,
	outputRoot:  `(i) => i < 0 ? document.querySelector('#notebook') : Jupyter.notebook.get_cell(i).output_area.element[0]`,
	input:       `input.raw_input`,
	outputsJSON: `(i) => JSON.stringify(Jupyter.notebook.get_cell(i).output_area.toJSON())`,
	cell:        `(i) => Jupyter.notebook.get_cell(i).element[0]`,
	notebook:    `() => document.querySelector('#notebook-container')`,
	dialog: `() => { const d = document.querySelector('.modal.in .modal-title');
		return d ? d.innerText.trim() || 'dialog' : '' }`,
	dismiss: `() => { const b = document.querySelector('.modal.in .modal-footer .btn'); if (b) b.click() }`,
	addCell: `(src) => { const nb = Jupyter.notebook; const c = nb.insert_cell_at_bottom('code'); c.set_text(src);
		return nb.find_cell_index(c) }`,
	cells: `() => Jupyter.notebook.ncells()`,
}

// labNB is the notebook panel OpenLab found (JupyterLab exposes itself as window.jupyterapp
// when the page config says exposeAppInBrowser: jupyterlab/app.py --expose-app-in-browser).
const labNB = `window.__e2eNotebook`

// labUI is JupyterLab 4.6 (jupyterlab/index.js sets body[data-lab-ready] once it started).
var labUI = labFamilyUI("JupyterLab", "labReady")

// notebook7UI is Notebook 7.6 (notebook7/index.js sets body[data-notebook-ready]): its own
// application and shell, with JupyterLab's notebook, output and input-box packages, so the
// same commands and selectors reach it.
var notebook7UI = labFamilyUI("Notebook 7", "notebookReady")

// labFamilyUI is a UI built on JupyterLab's packages (JupyterLab, Notebook 7), exposed as
// window.jupyterapp, whose page sets document.body.dataset[readyKey] to "true" once the app
// has started. A cell is run through the notebook:run-cell command, whose promise settles when
// the cell has run, or is refused; window.__e2eRuns[i] records that.
func labFamilyUI(name, readyKey string) *ui {
	return &ui{
		name: name,
		// ready nudges a connected kernel whose status is still unknown with a kernel_info request
		// every 3 s: its first status messages can be lost before the server subscribes to them.
		ready: `() => { const a = window.jupyterapp; if (!a || document.body.dataset.` + readyKey + ` !== 'true') return false;
		const w = a.shell.currentWidget;
		if (!w || !w.content || !w.sessionContext || !w.content.widgets.length) return false;
		const k = w.sessionContext.session && w.sessionContext.session.kernel;
		if (!k || k.connectionStatus !== 'connected') return false;
		if (k.status !== 'idle') {
			const now = Date.now();
			if (k.status !== 'busy' && (!window.__e2eNudged || now - window.__e2eNudged > 3000)) {
				window.__e2eNudged = now; k.requestKernelInfo().catch(() => {});
			}
			return false;
		}
		` + labNB + ` = w; return true }`,
		kernelIdle: `() => { const k = ` + labNB + `.sessionContext.session.kernel; return !!k && k.status === 'idle' }`,
		runAll:     `() => { void jupyterapp.commands.execute('notebook:run-all-cells') }`,
		runCell: `(i) => { const p = ` + labNB + `; p.content.activeCellIndex = i; p.content.deselectAll();
		const r = {done: false}; window.__e2eRuns = window.__e2eRuns || {}; window.__e2eRuns[i] = r;
		jupyterapp.commands.execute('notebook:run-cell').then(ok => { r.done = true; r.ok = ok },
			e => { r.done = true; r.err = String(e) }) }`,
		cellDone: `(i) => { const c = ` + labNB + `.content.widgets[i]; const r = (window.__e2eRuns || {})[i];
		return (!r || r.done) && (c.model.type !== 'code' || c.model.executionState !== 'running') }`,
		allDone: `() => ` + labNB + `.content.widgets.every(c => c.model.type !== 'code' || c.model.executionState !== 'running')`,
		outputRoot: `(i) => { const p = ` + labNB + `; if (i < 0) return p.content.node;
		const c = p.content.widgets[i]; return c && c.outputArea ? c.outputArea.node : null }`,
		input:       `.jp-OutputArea-child:not(.jp-OutputArea-stdin-hiding) input.jp-Stdin-input`, // answered boxes linger while hiding
		outputsJSON: `(i) => JSON.stringify(` + labNB + `.content.widgets[i].model.outputs.toJSON())`,
		cell:        `(i) => ` + labNB + `.content.widgets[i].node`,
		notebook:    `() => ` + labNB + `.content.node`,
		dialog: `() => { const d = document.querySelector('.jp-Dialog');
		if (!d) return ''; const h = d.querySelector('.jp-Dialog-header'); return (h ? h.innerText : d.innerText).trim() || 'dialog' }`,
		dismiss: `() => { const b = document.querySelector('.jp-Dialog .jp-Dialog-button.jp-mod-accept'); if (b) b.click() }`,
		// addCell inserts into the shared model, as the UI's own commands do; the notebook makes
		// the cell's widget when the model changes.
		addCell: `(src) => { const m = ` + labNB + `.content.model.sharedModel; const i = m.cells.length;
		m.insertCell(i, {cell_type: 'code', source: src, metadata: {}}); return i }`,
		cells: `() => ` + labNB + `.content.widgets.length`,
	}
}
