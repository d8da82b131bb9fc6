"""Serve the JupyterLab front end built in build/ (see package.json) on Debian's jupyter_server.

    /usr/bin/python3 app.py --allow-root --ServerApp.token=T --ServerApp.port=P \
        --ServerApp.ip=127.0.0.1 --ServerApp.root_dir=DIR

Notebooks open at http://127.0.0.1:P/lab/tree/NAME.ipynb?token=T. User settings and workspaces
go to $E2E_LAB_STATE_DIR (default: a new temp dir).
"""
import os
import tempfile

from jupyter_server.base.handlers import APIHandler
from jupyterlab_server import LabServerApp
from tornado import web

HERE = os.path.dirname(os.path.abspath(__file__))
BUILD = os.path.join(HERE, "build")
# User settings and workspaces (open tabs) go to a throw-away dir, so no run sees another's.
STATE = os.environ.get("E2E_LAB_STATE_DIR") or tempfile.mkdtemp(prefix="e2e-lab-state-")

# Settings on disk (a user's ~/.jupyter) must not change what the tests see.
os.environ["JUPYTER_NO_CONFIG"] = "1"


class MeHandler(APIHandler):
    """/api/me, which JupyterLab 4 asks for and jupyter_server 1.23 does not have."""

    @web.authenticated
    def get(self):
        self.finish({"identity": {"username": "e2e", "name": "e2e", "display_name": "e2e",
                                  "initials": "E", "avatar_url": None, "color": None},
                     "permissions": {}})


class E2ELab(LabServerApp):
    """JupyterLab at /lab, serving build/ with no build step and no other server extension."""

    name = __name__  # the extension is this module
    app_name = "JupyterLab"
    extension_url = "/lab"
    default_url = "/lab"
    load_other_extensions = False
    static_dir = BUILD
    templates_dir = os.path.join(HERE, "templates")
    schemas_dir = os.path.join(BUILD, "schemas")
    themes_dir = os.path.join(BUILD, "themes")
    app_settings_dir = os.path.join(BUILD, "application_settings")
    user_settings_dir = os.path.join(STATE, "user_settings")
    workspaces_dir = os.path.join(STATE, "workspaces")
    app_version = "4.6"

    def initialize_handlers(self):
        super().initialize_handlers()
        self.handlers.append(("/api/me", MeHandler))

    def initialize_settings(self):
        super().initialize_settings()
        self.serverapp.web_app.settings["page_config_hook"] = page_config


def page_config(handler, config):
    """Exposes the app as window.jupyterapp for the tests; no build, no news pop-up."""
    config.update({"exposeAppInBrowser": True, "buildAvailable": False})
    config["disabledExtensions"] = ["@jupyterlab/apputils-extension:announcements"]
    return config


def _jupyter_server_extension_points():
    """Tells jupyter_server that this module's extension is E2ELab."""
    return [{"module": __name__, "app": E2ELab}]


if __name__ == "__main__":
    E2ELab.launch_instance()
