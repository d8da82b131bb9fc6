#!/usr/bin/env bash
# start-jupyter.sh: the Docker image's command (/usr/local/bin/start-jupyter). Starts JupyterLab
# (the project's build: `jupyter lab`, jupyterlab/app.py) or, with JUPYTER_UI=classic, the
# classic Notebook, or with JUPYTER_UI=notebook7, Notebook 7 (the project's build,
# notebook7/app.py; its file browser at /tree), on 0.0.0.0:8888 without opening a browser, serving NOTEBOOK_DIR (default
# /opt/carto-auth/notebooks). Jupyter prints the URL with its token as usual (JUPYTER_TOKEN
# sets it; a password in ~/.jupyter/jupyter_server_config.json, for the classic Notebook
# jupyter_notebook_config.json, replaces it). Extra arguments go to Jupyter:
#
#   start-jupyter [JUPYTER OPTIONS...]      e.g. --port=9999, --ServerApp.base_url=/lab18/
set -euo pipefail

dir=${NOTEBOOK_DIR:-/opt/carto-auth/notebooks}
case ${JUPYTER_UI:-lab} in
lab) exec jupyter lab --no-browser --ip=0.0.0.0 --port=8888 --ServerApp.root_dir="$dir" "$@" ;;
classic) exec jupyter notebook --no-browser --ip=0.0.0.0 --port=8888 --notebook-dir="$dir" "$@" ;;
notebook7)
	nb7=$(dirname "$(readlink -f "$0")")/../notebook7/jupyter-notebook7
	exec "$nb7" --no-browser --ip=0.0.0.0 --port=8888 --ServerApp.root_dir="$dir" "$@"
	;;
*)
	echo "start-jupyter: JUPYTER_UI=$JUPYTER_UI: want lab (JupyterLab, the default), classic (the classic Notebook) or notebook7 (Notebook 7)" >&2
	exit 2
	;;
esac
