"""Signs Query requests with botocore's SigV2Auth, as the SigV2 oracle for SigV2BotocoreTest.

Usage: botocore_sigv2_sign.py ACCESS_KEY SECRET TIMESTAMP SPEC_JSON
TIMESTAMP is ISO 8601 ("2024-05-01T12:00:00Z"); SigV2Auth reads the clock through time.gmtime,
which is pinned to it so every run prints the same signatures. SPEC_JSON is a list of
{"name", "method", "url", "params": [[name, value], ...]}: a GET carries the params in its query
string, a POST in its form body, as botocore sends them. Prints a JSON list of requests as they
go on the wire: name, method, url, headers ([name, value] pairs, Host included), body (base64).
"""
import base64
import json
import sys
import time
from urllib.parse import urlsplit

try:
    import botocore.auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials
except ImportError as e:
    sys.stderr.write("python3-botocore is not installed (apt-get install python3-botocore): %s\n" % e)
    sys.exit(3)

ACCESS_KEY, SECRET, TIMESTAMP, SPEC = sys.argv[1], sys.argv[2], sys.argv[3], json.loads(sys.argv[4])
FIXED = time.strptime(TIMESTAMP, "%Y-%m-%dT%H:%M:%SZ")


class PinnedTime:
    """Stands in for the time module inside botocore.auth only."""

    @staticmethod
    def gmtime(*_):
        return FIXED

    strftime = staticmethod(time.strftime)
    time = staticmethod(time.time)


botocore.auth.time = PinnedTime
signer = botocore.auth.SigV2Auth(Credentials(ACCESS_KEY, SECRET))
out = []
for case in SPEC:
    params = dict(case["params"])
    if case["method"] == "POST":
        request = AWSRequest(method="POST", url=case["url"], data=params,
                             headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"})
    else:
        request = AWSRequest(method=case["method"], url=case["url"], params=params)
    signer.add_auth(request)
    prepared = request.prepare()
    headers = [[k, v] for k, v in prepared.headers.items()]
    headers.append(["Host", urlsplit(prepared.url).netloc])
    body = prepared.body or b""
    if isinstance(body, str):
        body = body.encode("utf-8")
    out.append({"name": case["name"], "method": case["method"], "url": prepared.url,
                "headers": headers, "body": base64.b64encode(body).decode("ascii")})
json.dump(out, sys.stdout, ensure_ascii=True, indent=1)
