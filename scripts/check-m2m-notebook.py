#!/usr/bin/env python3
"""check-m2m-notebook.py SANDBOX_URL CREDENTIALS_FILE CACHE_DIR < m2m-etl.ipynb as nbconvert ran it

Checks the outputs of notebooks/m2m-etl.ipynb run unattended (scripts/docker-test.sh): the M2M
login against the sandbox, a positive count in the table, no error, an M2M login cached, and no
secret (the client secret, any cached token) in any output. Prints one line, never a secret."""
import glob
import json
import re
import sys

url, creds_file, cache = sys.argv[1:4]
cells = [c for c in json.load(sys.stdin)["cells"] if c["cell_type"] == "code"]
outs = [o for c in cells for o in c.get("outputs", [])]
text = lambda o: "".join(o.get("text", "")) + "".join(o.get("data", {}).get("text/html", ""))
fail = []
if any(o["output_type"] == "error" for o in outs):
    fail.append("a cell ended with an error")
first = "".join(text(o) for o in cells[0].get("outputs", []))
if "Logged in as M2M client; API base URL: " + url not in first:
    fail.append("the login cell printed %r" % first[:200])
count = re.search(r"<th>n</th>.*?<td>(\d+)</td>", "".join(text(o) for o in cells[-1].get("outputs", [])), re.S)
if not count or int(count.group(1)) < 1:
    fail.append("no count table in the last cell")
secrets = {"client secret": json.load(open(creds_file))["client_secret"]}
m2m = 0
for f in glob.glob(cache + "/gonbauth-*.json"):
    if not f.endswith(".pending.json"):
        e = json.load(open(f))
        m2m += e.get("flow") == "m2m"
        secrets[f"token in {f.rsplit('/', 1)[-1]}"] = e["access_token"]
        if e.get("refresh_token"):
            secrets[f"refresh token in {f.rsplit('/', 1)[-1]}"] = e["refresh_token"]
if m2m != 1:
    fail.append(f"{m2m} M2M logins cached, want 1")
everything = json.dumps(outs)
fail += [f"the {k} appears in an output" for k, v in secrets.items() if v in everything]
if fail:
    sys.exit("m2m-etl.ipynb: " + "; ".join(fail))
print(f"docker-test: m2m-etl.ipynb ran: {count.group(1)} rows counted, M2M login cached, no secret in its outputs", file=sys.stderr)
