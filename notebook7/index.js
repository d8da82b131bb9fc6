// The front end: Notebook 7's own application (NotebookApp: its shell, tree and notebook pages)
// with the plugins a notebook user meets, chosen per page as Notebook 7's app/package.json
// does: "/" on every page, "/tree" (the file browser) and "/notebooks" (one notebook) on
// theirs; the server says which page this is (page config notebookPage); a text file opens in
// the file editor (/edit). Left out: the terminal, console, document search, debugger,
// completer, settings editor, extension manager and federated (prebuilt) extensions. The packages must match "jupyterlab.extensions" in
// package.json, whose schemas and styles the build copies.
import { PageConfig } from '@jupyterlab/coreutils';
import { PluginRegistry } from '@lumino/coreutils';

// Assets (fonts, icons) load relative to the static URL the server announces.
// eslint-disable-next-line no-undef
__webpack_public_path__ = PageConfig.getOption('fullStaticUrl') + '/';

const styles = import('./build/style.js');

// Per page: package → true (all its plugins) or the ids of the plugins to take.
const pages = {
  '/': {
    '@jupyter-notebook/application-extension': () => import('@jupyter-notebook/application-extension'),
    '@jupyter-notebook/docmanager-extension': () => import('@jupyter-notebook/docmanager-extension'),
    '@jupyter-notebook/help-extension': () => import('@jupyter-notebook/help-extension'),
    '@jupyter-notebook/notebook-extension': () => import('@jupyter-notebook/notebook-extension'),
    '@jupyterlab/application-extension': [() => import('@jupyterlab/application-extension'),
      'context-menu', 'faviconbusy', 'router', 'top-bar'],
    '@jupyterlab/apputils-extension': [() => import('@jupyterlab/apputils-extension'),
      'kernels-settings', 'palette', 'notification', 'sanitizer', 'sessionDialogs', 'settings', 'state',
      'themes', 'themes-palette-menu', 'toolbar-registry', 'utilityCommands'],
    '@jupyterlab/codemirror-extension': () => import('@jupyterlab/codemirror-extension'),
    '@jupyterlab/docmanager-extension': [() => import('@jupyterlab/docmanager-extension'),
      'plugin', 'download', 'contexts', 'manager'],
    '@jupyterlab/filebrowser-extension': [() => import('@jupyterlab/filebrowser-extension'),
      'factory', 'default-file-browser'],
    '@jupyterlab/fileeditor-extension': [() => import('@jupyterlab/fileeditor-extension'),
      'plugin', 'widget-factory'],
    '@jupyterlab/mainmenu-extension': [() => import('@jupyterlab/mainmenu-extension'), 'plugin'],
    '@jupyterlab/markedparser-extension': () => import('@jupyterlab/markedparser-extension'),
    '@jupyterlab/notebook-extension': [() => import('@jupyterlab/notebook-extension'),
      'cell-executor', 'export', 'factory', 'tracker', 'widget-factory'],
    '@jupyterlab/services-extension': () => import('@jupyterlab/services-extension'),
    '@jupyterlab/shortcuts-extension': () => import('@jupyterlab/shortcuts-extension'),
    '@jupyterlab/theme-light-extension': () => import('@jupyterlab/theme-light-extension'),
    '@jupyterlab/translation-extension': () => import('@jupyterlab/translation-extension'),
    '@jupyterlab/ui-components-extension': () => import('@jupyterlab/ui-components-extension')
  },
  '/tree': {
    '@jupyterlab/application-extension': [() => import('@jupyterlab/application-extension'), 'commands'],
    '@jupyterlab/filebrowser-extension': [() => import('@jupyterlab/filebrowser-extension'),
      'browser', 'download', 'file-upload-status', 'open-with', 'settings'],
    '@jupyter-notebook/tree-extension': () => import('@jupyter-notebook/tree-extension'),
    '@jupyterlab/running-extension': [() => import('@jupyterlab/running-extension'), 'plugin']
  },
  '/notebooks': {
    '@jupyterlab/notebook-extension': [() => import('@jupyterlab/notebook-extension'),
      'copy-output']
  }
};

// plugins loads the plugins of one page's table, leaving out those the page config disables.
async function plugins(table) {
  const out = [];
  for (const [name, spec] of Object.entries(table)) {
    const [load, ...ids] = [].concat(spec);
    const mod = await load();
    let list = [].concat(mod.default || mod);
    if (ids.length) {
      const want = ids.map(id => `${name}:${id}`);
      for (const id of want) {
        if (!list.some(p => p.id === id)) console.warn(`notebook7: ${name} has no plugin ${id}`);
      }
      list = list.filter(p => want.includes(p.id));
    }
    out.push(...list.filter(p => !PageConfig.Extension.isDisabled(p.id)));
  }
  return out;
}

window.addEventListener('load', async () => {
  await styles;
  const page = '/' + PageConfig.getOption('notebookPage');
  const mods = await plugins(pages['/']);
  if (page !== '/' && pages[page]) mods.push(...(await plugins(pages[page])));

  const { NotebookApp } = await import('@jupyter-notebook/application');
  const { IServiceManager } = await import('@jupyterlab/services');
  // The services (kernels, sessions, contents) come from their plugins, as in Notebook 7.
  const pluginRegistry = new PluginRegistry();
  pluginRegistry.registerPlugins(mods);
  const serviceManager = await pluginRegistry.resolveRequiredService(IServiceManager);
  const app = new NotebookApp({ pluginRegistry, serviceManager, mimeExtensions: [] });
  if (String(PageConfig.getOption('exposeAppInBrowser')).toLowerCase() === 'true') {
    window.jupyterapp = app; // for the tests, as Notebook 7's --expose-app-in-browser does
  }
  await app.start();
  await app.restored;
  document.body.dataset.notebookReady = 'true';
});
