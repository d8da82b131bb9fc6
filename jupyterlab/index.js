// The front end: JupyterLab's application shell with the plugins a notebook user meets (notebook,
// rendered outputs, input boxes, dialogs, file browser, menus, light theme). The plugin list
// must match "jupyterlab.extensions" in package.json, whose schemas and themes the build copies.
import { JupyterLab } from '@jupyterlab/application';
import { PageConfig } from '@jupyterlab/coreutils';

// Assets (fonts, icons) load relative to the static URL the server announces.
// eslint-disable-next-line no-undef
__webpack_public_path__ = PageConfig.getOption('fullStaticUrl') + '/';

const styles = import('./build/style.js');

const plugins = [
  import('@jupyterlab/application-extension'),
  import('@jupyterlab/apputils-extension'),
  import('@jupyterlab/codemirror-extension'),
  import('@jupyterlab/docmanager-extension'),
  import('@jupyterlab/filebrowser-extension'),
  import('@jupyterlab/mainmenu-extension'),
  import('@jupyterlab/markedparser-extension'),
  import('@jupyterlab/notebook-extension'),
  import('@jupyterlab/rendermime-extension'),
  import('@jupyterlab/shortcuts-extension'),
  import('@jupyterlab/theme-light-extension'),
  import('@jupyterlab/translation-extension'),
  import('@jupyterlab/ui-components-extension')
];

window.addEventListener('load', async () => {
  await styles;
  const lab = new JupyterLab();
  if (String(PageConfig.getOption('exposeAppInBrowser')).toLowerCase() === 'true') {
    window.jupyterapp = lab; // for the tests, as JupyterLab's own dev mode does
  }
  // Each module exports a plugin or a list of them; the page config may disable some.
  const all = (await Promise.all(plugins)).flatMap(m => [].concat(m.default || m));
  lab.registerPlugins(all.filter(p => !PageConfig.Extension.isDisabled(p.id)));
  await lab.start();
  await lab.restored;
  document.body.dataset.labReady = 'true';
});
