"""What a web page does with a Canopy bucket, driven by boto3 and urllib as a backend and a browser would.

Usage: python3 boto3_browser.py   with CANOPY_S3 (endpoint URL), AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and
AWS_DEFAULT_REGION in the environment. The backend sets CORS rules and signs an upload form with
generate_presigned_post; the "browser" (urllib, sending Origin as a page's fetch does) asks a preflight and
posts the form as multipart/form-data with no credentials of its own. Prints one line per check; exits non-zero on the first failure.
"""
import os
import urllib.error
import urllib.request
import uuid
import xml.etree.ElementTree as ElementTree

import boto3
from botocore.config import Config

ENDPOINT = os.environ["CANOPY_S3"]
BUCKET = "browser-uploads"
ORIGIN = "https://app.example.com"
LIMIT = 1024 * 1024



class Answer:
    def __init__(self, status, headers, content):
        self.status_code, self.headers, self.content = status, headers, content
        self.text = content.decode("utf-8", "replace")


def send(method, url, headers, body=None):
    request = urllib.request.Request(url, data=body, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request) as response:
            return Answer(response.status, response.headers, response.read())
    except urllib.error.HTTPError as error:
        return Answer(error.code, error.headers, error.read())


def post_form(url, fields, filename, content, headers=None):
    """A browser's form post: the fields in order, the file last."""
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
                 f'Content-Type: application/octet-stream\r\n\r\n'.encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return send("POST", url, dict(headers or {}, **{"Content-Type": f"multipart/form-data; boundary={boundary}"}), b"".join(parts))


s3 = boto3.client("s3", endpoint_url=ENDPOINT, config=Config(s3={"addressing_style": "path"}))
s3.create_bucket(Bucket=BUCKET)
s3.put_bucket_cors(Bucket=BUCKET, CORSConfiguration={"CORSRules": [
    {"AllowedOrigins": [ORIGIN], "AllowedMethods": ["POST", "GET"], "AllowedHeaders": ["*"], "ExposeHeaders": ["ETag"],
     "MaxAgeSeconds": 300}]})
rules = s3.get_bucket_cors(Bucket=BUCKET)["CORSRules"]
assert rules[0]["AllowedOrigins"] == [ORIGIN] and rules[0]["MaxAgeSeconds"] == 300, rules
print("cors rules set")

preflight = send("OPTIONS", f"{ENDPOINT}/{BUCKET}", headers={
    "Origin": ORIGIN, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"})
assert preflight.status_code == 200, (preflight.status_code, preflight.text)
assert preflight.headers["Access-Control-Allow-Origin"] == ORIGIN, preflight.headers
assert preflight.headers["Access-Control-Allow-Headers"] == "content-type", preflight.headers
print("preflight allowed")

post = s3.generate_presigned_post(
    BUCKET, "inbox/${filename}",
    Fields={"success_action_status": "201", "Content-Type": "text/plain", "x-amz-meta-from": "page"},
    Conditions=[{"success_action_status": "201"}, {"Content-Type": "text/plain"}, {"x-amz-meta-from": "page"},
                ["starts-with", "$key", "inbox/"], ["content-length-range", 1, LIMIT]],
    ExpiresIn=600)
body = b"written by a browser\n"
answer = post_form(post["url"], post["fields"], "note.txt", body, headers={"Origin": ORIGIN})
assert answer.status_code == 201, (answer.status_code, answer.text)
assert answer.headers["Access-Control-Allow-Origin"] == ORIGIN, answer.headers
document = ElementTree.fromstring(answer.content)
key = document.find("{http://s3.amazonaws.com/doc/2006-03-01/}Key").text
assert key == "inbox/note.txt", answer.text
stored = s3.get_object(Bucket=BUCKET, Key=key)
assert stored["Body"].read() == body
assert stored["ContentType"] == "text/plain" and stored["Metadata"] == {"from": "page"}, stored
print("form upload stored", key)

tampered = dict(post["fields"], key="elsewhere/x")
refused = post_form(post["url"], tampered, "x", b"x", headers={"Origin": ORIGIN})
assert refused.status_code == 403 and "<Code>AccessDenied</Code>" in refused.text, (refused.status_code, refused.text)
assert "Policy Condition failed" in refused.text, refused.text
assert refused.headers["Access-Control-Allow-Origin"] == ORIGIN, refused.headers
print("tampered form refused")

too_big = post_form(post["url"], post["fields"], "big.bin", os.urandom(LIMIT + 1))
assert too_big.status_code == 400 and "<Code>EntityTooLarge</Code>" in too_big.text, (too_big.status_code, too_big.text)
print("oversized file refused")

s3.delete_object(Bucket=BUCKET, Key=key)
s3.delete_bucket_cors(Bucket=BUCKET)
s3.delete_bucket(Bucket=BUCKET)
print("ok")
