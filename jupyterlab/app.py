"""JupyterLab 4 for the project's notebooks: the front end built in build/ (see package.json and
build.sh) served on Debian's jupyter_server and jupyterlab_server, launched like `jupyter lab`.

    /usr/bin/python3 app.py [--no-browser] [--ip=IP] [--port=P] [--ServerApp.root_dir=DIR] ...
    /usr/bin/python3 app.py password       # set a password instead of the token
    jupyter lab ...                        # the same, where jupyter-lab (next to this file) is on PATH

As `jupyter lab` does: it prints the URL with its token (/lab?token=...), or asks for the password
set with `password` (stored hashed in ~/.jupyter/jupyter_server_config.json, or
$JUPYTER_CONFIG_DIR); it reads the usual config files (jupyter_server_config.*, and
jupyter_lab_config.* with c.LabApp.* and c.ServerApp.*); user settings and workspaces go to
~/.jupyter/lab/ (JUPYTERLAB_SETTINGS_DIR, JUPYTERLAB_WORKSPACES_DIR). The default URL /lab opens
the file browser on the root dir (the current directory unless --ServerApp.root_dir says).
--expose-app-in-browser (c.LabApp.expose_app_in_browser) makes the app window.jupyterapp, as in
JupyterLab; the browser tests use it. Run it with Debian's /usr/bin/python3, which has the apt
packages python3-jupyter-server and python3-jupyterlab-server.
"""
import json
import os
import sys

from jupyter_server.base.handlers import APIHandler
from jupyter_server.serverapp import JupyterPasswordApp
from jupyter_server.serverapp import flags as server_flags
from jupyterlab_server import LabServerApp
from tornado import web
from traitlets import Bool

HERE = os.path.dirname(os.path.abspath(__file__))
BUILD = os.path.join(HERE, "build")


def _lab_version():
    """The @jupyterlab/application version the lockfile pins (what build/ was made from)."""
    try:
        with open(os.path.join(HERE, "package-lock.json"), encoding="utf-8") as f:
            return json.load(f)["packages"]["node_modules/@jupyterlab/application"]["version"]
    except (OSError, KeyError, ValueError):
        return "4"


class MeHandler(APIHandler):
    """/api/me, which JupyterLab 4 asks for and jupyter_server 1.23 does not have."""

    @web.authenticated
    def get(self):
        user = os.environ.get("USER") or "user"
        self.finish({"identity": {"username": user, "name": user, "display_name": user,
                                  "initials": user[:1].upper(), "avatar_url": None, "color": None},
                     "permissions": {}})


class LabApp(LabServerApp):
    """JupyterLab at /lab, serving build/ with no build step and no other server extension."""

    # "lab", as JupyterLab's own LabApp: config files jupyter_lab_config.*, c.LabApp.*.
    name = "lab"
    app_name = "JupyterLab"
    description = __doc__
    extension_url = "/lab"
    default_url = "/lab"
    load_other_extensions = False
    static_dir = BUILD
    templates_dir = os.path.join(HERE, "templates")
    schemas_dir = os.path.join(BUILD, "schemas")
    themes_dir = os.path.join(BUILD, "themes")
    app_settings_dir = os.path.join(BUILD, "application_settings")
    app_version = _lab_version()

    subcommands = {
        "password": (JupyterPasswordApp, JupyterPasswordApp.description.splitlines()[0]),
    }

    expose_app_in_browser = Bool(False, config=True,
                                 help="Make the application window.jupyterapp in the page (for tests and debugging).")

    flags = dict(LabServerApp.flags)
    flags["expose-app-in-browser"] = ({"LabApp": {"expose_app_in_browser": True}},
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
        self.handlers.append(("/api/me", MeHandler))

    def initialize_settings(self):
        super().initialize_settings()
        if not os.path.isfile(os.path.join(BUILD, "bundle.js")):
            sys.exit(f"JupyterLab's front end is not built: run {os.path.join(HERE, 'build.sh')}")
        self.serverapp.web_app.settings["page_config_hook"] = self.page_config

    def page_config(self, handler, config):
        """No build, no news pop-up; window.jupyterapp only when asked."""
        config.update({"exposeAppInBrowser": self.expose_app_in_browser, "buildAvailable": False})
        config["disabledExtensions"] = ["@jupyterlab/apputils-extension:announcements"]
        return config


def _jupyter_server_extension_points():
    """Tells jupyter_server that this module's extension is LabApp."""
    return [{"module": __name__, "app": LabApp}]


if __name__ == "__main__":
    LabApp.launch_instance()
