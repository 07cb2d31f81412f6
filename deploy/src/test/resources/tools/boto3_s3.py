"""boto3 against a Canopy S3 endpoint, as a user's script would use it.

Usage: python3 boto3_s3.py SCENARIO   with CANOPY_S3 (endpoint URL), AWS_ACCESS_KEY_ID,
AWS_SECRET_ACCESS_KEY and AWS_DEFAULT_REGION in the environment. Prints one line per check and
exits non-zero on the first failure (an exception's traceback names it).
"""
import hashlib
import io
import os
import socket
import sys

import boto3
from botocore.config import Config

ENDPOINT = os.environ["CANOPY_S3"]


def resolve_virtual_hosts_locally(domain):
    """BUCKET.<domain> names no real DNS entry here: resolve every such name to the endpoint's address."""
    real = socket.getaddrinfo

    def getaddrinfo(host, *args, **kwargs):
        if isinstance(host, str) and host.endswith("." + domain):
            host = "127.0.0.1"
        return real(host, *args, **kwargs)

    socket.getaddrinfo = getaddrinfo


def client(addressing_style):
    return boto3.client("s3", endpoint_url=ENDPOINT, config=Config(s3={"addressing_style": addressing_style}))


def virtual_host():
    domain = os.environ["CANOPY_VHOST_DOMAIN"]
    resolve_virtual_hosts_locally(domain)
    s3 = client("virtual")
    hosts = set()
    s3.meta.events.register("before-send.s3", lambda request, **kw: hosts.add(request.url.split("/")[2]))
    s3.create_bucket(Bucket="vhost-boto3")
    s3.put_object(Bucket="vhost-boto3", Key="dir/a b.txt", Body=b"virtual")
    assert s3.get_object(Bucket="vhost-boto3", Key="dir/a b.txt")["Body"].read() == b"virtual"
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket="vhost-boto3")["Contents"]]
    assert keys == ["dir/a b.txt"], keys
    s3.delete_objects(Bucket="vhost-boto3", Delete={"Objects": [{"Key": "dir/a b.txt"}]})
    s3.delete_bucket(Bucket="vhost-boto3")
    print("hosts", " ".join(sorted(hosts)))


def copy():
    s3 = client("path")
    size = 20 * 1024 * 1024
    body = os.urandom(size)
    for bucket in ("boto3-src", "boto3-dst"):
        s3.create_bucket(Bucket=bucket)
    s3.put_object(Bucket="boto3-src", Key="big", Body=body)
    parts = []
    s3.meta.events.register("before-send.s3.UploadPartCopy", lambda request, **kw: parts.append(request.headers.get("x-amz-copy-source-range")))
    # client.copy is the managed transfer: above its 8 MiB threshold, UploadPartCopy of ranges.
    s3.copy({"Bucket": "boto3-src", "Key": "big"}, "boto3-dst", "big")
    got = s3.get_object(Bucket="boto3-dst", Key="big")["Body"].read()
    assert hashlib.sha256(got).hexdigest() == hashlib.sha256(body).hexdigest(), "copied bytes differ"
    assert len(parts) >= 2, parts
    print("copied", len(got), "bytes in", len(parts), "UploadPartCopy calls")


SCENARIOS = {"virtual-host": virtual_host, "copy": copy}

if __name__ == "__main__":
    SCENARIOS[sys.argv[1]]()
    print("ok")
