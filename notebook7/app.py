"""Notebook 7 for the project's notebooks: the front end built in build/ (see package.json and
build.sh) served on Debian's jupyter_server and jupyterlab_server, launched like `jupyter notebook`
of Notebook 7.

    /usr/bin/python3 app.py [--no-browser] [--ip=IP] [--port=P] [--ServerApp.root_dir=DIR] ...
    /usr/bin/python3 app.py password       # set a password instead of the token
    jupyter-notebook7 ...                  # the same (jupyter-notebook7 is next to this file)

Its pages are Notebook 7's: /tree[/DIR] (the file browser; the default URL), /notebooks/PATH
(one notebook), /edit/PATH (a text file, in the file editor), /consoles/PATH (no console in
this build); a file opened from the tree opens in a new browser tab, as in Notebook 7. As `jupyter notebook` does, it prints the URL with its
token (/tree?token=...), or asks for the password set with `password` (stored hashed in
~/.jupyter/jupyter_server_config.json, or $JUPYTER_CONFIG_DIR); it reads the usual config files
(jupyter_server_config.*, and jupyter_notebook7_config.* with c.JupyterNotebookApp.* and
c.ServerApp.*; not the classic Notebook's jupyter_notebook_config.*). --expose-app-in-browser
makes the app window.jupyterapp, as in Notebook 7; the browser tests use it. Run it with
Debian's /usr/bin/python3, which has the apt packages python3-jupyter-server and
python3-jupyterlab-server.
"""
import json
import os
import sys

from jupyter_server.base.handlers import APIHandler
from jupyter_server.serverapp import JupyterPasswordApp
from jupyter_server.serverapp import flags as server_flags
from jupyter_server.utils import url_escape
from jupyter_server.utils import url_path_join as ujoin
from jupyterlab_server import LabServerApp
from jupyterlab_server.handlers import LabHandler, NotFoundHandler
from tornado import web
from traitlets import Bool

HERE = os.path.dirname(os.path.abspath(__file__))
BUILD = os.path.join(HERE, "build")


def _notebook_version():
    """The @jupyter-notebook/application version the lockfile pins (what build/ was made from)."""
    try:
        with open(os.path.join(HERE, "package-lock.json"), encoding="utf-8") as f:
            return json.load(f)["packages"]["node_modules/@jupyter-notebook/application"]["version"]
    except (OSError, KeyError, ValueError):
        return "7"


class MeHandler(APIHandler):
    """/api/me, which the front end asks for and jupyter_server 1.23 does not have."""

    @web.authenticated
    def get(self):
        user = os.environ.get("USER") or "user"
        self.finish({"identity": {"username": user, "name": user, "display_name": user,
                                  "initials": user[:1].upper(), "avatar_url": None, "color": None},
                     "permissions": {}})


class PageHandler(LabHandler):
    """A Notebook 7 page: JupyterLab's page config (settings, themes, token, ...) plus what
    Notebook 7's own server adds, rendered for one page of the front end (notebookPage)."""

    page = ""
    title = "Jupyter Notebook"

    def get_page_config(self):
        config = dict(super().get_page_config())
        app = self.extensionapp
        config.update({
            "appVersion": app.app_version,
            "baseUrl": self.base_url,
            "token": self.settings["token"],
            "fullStaticUrl": ujoin(self.base_url, "static", app.name),
            "frontendUrl": ujoin(self.base_url, "/"),
            "exposeAppInBrowser": app.expose_app_in_browser,
        })
        return config

    def render_page(self, **extra):
        config = self.get_page_config()
        config.update(extra)
        self.write(self.render_template("page.html", page_config=config, notebook_page=self.page,
                                        title=self.title))


class TreeHandler(PageHandler):
    """/tree[/DIR]: the file browser on DIR; a notebook's path redirects to /notebooks/PATH,
    another file's to /files/PATH, as in Notebook 7."""

    page = "tree"
    title = "Home"

    @web.authenticated
    async def get(self, path=""):
        path = path.strip("/")
        cm = self.contents_manager
        if await _maybe_await(cm.dir_exists(path=path)):
            if await _maybe_await(cm.is_hidden(path)) and not cm.allow_hidden:
                raise web.HTTPError(404)
            return self.render_page(treePath=path)
        if await _maybe_await(cm.file_exists(path)):
            model = await _maybe_await(cm.get(path, content=False))
            kind = "notebooks" if model["type"] == "notebook" else "files"
            return self.redirect(ujoin(self.base_url, kind, url_escape(path)))
        raise web.HTTPError(404)


class NotebookHandler(PageHandler):
    """/notebooks/PATH: one notebook; a folder's path redirects to /tree/PATH."""

    page = "notebooks"
    title = "Notebook"

    @web.authenticated
    async def get(self, path=""):
        path = path.strip("/")
        if await _maybe_await(self.contents_manager.dir_exists(path=path)):
            return self.redirect(ujoin(self.base_url, "tree", url_escape(path)))
        return self.render_page()


class EditHandler(PageHandler):
    """/edit/PATH: a text file, in the file editor."""

    page = "edit"

    @web.authenticated
    def get(self, path=""):
        return self.render_page()


class ConsoleHandler(PageHandler):
    """/consoles/PATH: as Notebook 7 (the build has no console plugins)."""

    page = "consoles"

    @web.authenticated
    def get(self, path=""):
        return self.render_page()


async def _maybe_await(v):
    """The contents manager of jupyter_server 1.23 is synchronous, later ones async."""
    if hasattr(v, "__await__"):
        return await v
    return v


class JupyterNotebookApp(LabServerApp):
    """Notebook 7 at /tree and /notebooks, serving build/ with no build step and no other
    server extension."""

    # Not "notebook": the classic Notebook 6.4 (apt) owns jupyter_notebook_config.*.
    name = "notebook7"
    app_name = "Jupyter Notebook"
    description = __doc__
    extension_url = "/tree"
    default_url = "/tree"
    load_other_extensions = False
    static_dir = BUILD
    templates_dir = os.path.join(HERE, "templates")
    schemas_dir = os.path.join(BUILD, "schemas")
    themes_dir = os.path.join(BUILD, "themes")
    app_settings_dir = os.path.join(BUILD, "application_settings")
    app_version = _notebook_version()

    subcommands = {
        "password": (JupyterPasswordApp, JupyterPasswordApp.description.splitlines()[0]),
    }

    expose_app_in_browser = Bool(False, config=True,
                                 help="Make the application window.jupyterapp in the page (for tests and debugging).")

    flags = dict(LabServerApp.flags)
    flags["expose-app-in-browser"] = ({"JupyterNotebookApp": {"expose_app_in_browser": True}},
                                      "Make the application window.jupyterapp in the page.")

    @classmethod
    def initialize_server(cls, argv=None, load_other_extensions=True, **kwargs):
        """The server parses the command line: it gets this app's flags too (the base class
        hands it only the aliases)."""
        flags = dict(server_flags)
        flags.update(cls.flags)
        return super().initialize_server(argv=argv, load_other_extensions=load_other_extensions, flags=flags, **kwargs)

    def initialize_handlers(self):
        super().initialize_handlers()
        # JupyterLab's own page (/lab) and its catch-all are not this front end's.
        self.handlers[:] = [h for h in self.handlers if h[1] not in (LabHandler, NotFoundHandler)]
        self.handlers.extend([
            ("/api/me", MeHandler),
            ("/tree(.*)", TreeHandler),
            ("/notebooks(.*)", NotebookHandler),
            ("/edit(.*)", EditHandler),
            ("/consoles/(.*)", ConsoleHandler),
        ])

    def initialize_settings(self):
        super().initialize_settings()
        if not os.path.isfile(os.path.join(BUILD, "bundle.js")):
            sys.exit(f"Notebook 7's front end is not built: run {os.path.join(HERE, 'build.sh')}")
        self.serverapp.web_app.settings["page_config_hook"] = self.page_config

    def page_config(self, handler, config):
        """No build, no news pop-up."""
        config.update({"buildAvailable": False})
        config["disabledExtensions"] = ["@jupyterlab/apputils-extension:announcements"]
        return config


def _jupyter_server_extension_points():
    """Tells jupyter_server that this module's extension is JupyterNotebookApp."""
    return [{"module": __name__, "app": JupyterNotebookApp}]


if __name__ == "__main__":
    JupyterNotebookApp.launch_instance()
