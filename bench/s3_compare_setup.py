"""The rows of bench/s3_compare.py and what each target needs before they run: buckets, the
objects GET reads, the 10,000 keys LIST pages through, and the presigned URLs wrk replays."""
import concurrent.futures
import http.client
import os
import urllib.parse
from dataclasses import dataclass, field

import botocore.config
import botocore.session

KIB, MIB = 1024, 1024 * 1024
LARGE_BYTES = 64 * MIB
# Distinct keys per object size: enough that 16 connections never write one key at once, few
# enough for the 64 MiB objects to fit in wrk's memory (see READY_BODY_BYTES_PER_THREAD_MAX).
OBJECT_KEYS_PER_SIZE = {4 * KIB: 128, 1 * MIB: 64, 64 * MIB: 16}
SIZE_LABELS = {4 * KIB: "4 KiB", 1 * MIB: "1 MiB", 64 * MIB: "64 MiB"}
OBJECT_BUCKET = "s3cmp-objects"
LIST_BUCKET = "s3cmp-list"
LIST_KEYS = 10_000
LIST_PAGE_KEYS = 1_000
LIST_KEY_BYTES = 100
SEED_CONNECTIONS = 16
PRESIGN_EXPIRES_S = 6 * 3600


@dataclass
class Row:
    name: str
    op: str  # PUT, GET or LIST
    object_bytes: int  # 0 for LIST
    body_file: str = None  # what a PUT sends
    urls_file: dict = field(default_factory=dict)  # target name -> file of presigned paths

    @property
    def method(self):
        return "GET" if self.op == "LIST" else self.op

    @property
    def size_label(self):
        return SIZE_LABELS.get(self.object_bytes, "1,000 keys")

    @property
    def body_bytes(self):
        return self.object_bytes if self.op == "PUT" else 0

    @property
    def body_bytes_moved(self):
        return self.object_bytes


def rows(work_dir):
    result = []
    for size in OBJECT_KEYS_PER_SIZE:
        body = os.path.join(work_dir, f"body-{size}")  # one random body per size, PUT and seeded alike
        with open(body, "wb") as f:
            f.write(os.urandom(size))
        result.append(Row(f"PUT {SIZE_LABELS[size]}", "PUT", size, body_file=body))
        result.append(Row(f"GET {SIZE_LABELS[size]}", "GET", size, body_file=body))
    result.append(Row("LIST 1,000 of 10,000", "LIST", 0))
    return result


def client(target):
    session = botocore.session.Session()
    region = target.get("region") or "us-east-1"
    return session.create_client(
        "s3", endpoint_url=target["endpoint"], region_name=region,
        aws_access_key_id=target["access_key"], aws_secret_access_key=target["secret_key"],
        config=botocore.config.Config(signature_version="s3v4", s3={"addressing_style": "path"},
                                      retries={"max_attempts": 1}))


def object_key(size, index):
    return f"obj-{size}-{index:03d}"


def list_key(index):
    return f"k{index:05d}"


def path_and_query(url):
    parts = urllib.parse.urlsplit(url)
    return parts.path + "?" + parts.query


def presigned(s3, operation, **params):
    return path_and_query(s3.generate_presigned_url(operation, Params=params, ExpiresIn=PRESIGN_EXPIRES_S))


def write_lines(path, lines):
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


def ensure_bucket(s3, region, bucket):
    params = {"Bucket": bucket}
    if region and region != "us-east-1":
        params["CreateBucketConfiguration"] = {"LocationConstraint": region}
    try:
        s3.create_bucket(**params)
    except s3.exceptions.BucketAlreadyOwnedByYou:
        pass  # a long-lived third target keeps its buckets between runs


def put_all(endpoint, paths, body):
    """PUTs body to every presigned path over SEED_CONNECTIONS keep-alive connections."""
    host = urllib.parse.urlsplit(endpoint).netloc

    def put_share(share):
        connection = http.client.HTTPConnection(host, timeout=300)
        for path in share:
            connection.request("PUT", path, body=body)
            response = connection.getresponse()
            answer = response.read()
            if response.status != 200:
                raise RuntimeError(f"seeding PUT {path.split('?')[0]}: {response.status} {answer[:300]!r}")
        connection.close()

    shares = [paths[i::SEED_CONNECTIONS] for i in range(SEED_CONNECTIONS)]
    with concurrent.futures.ThreadPoolExecutor(SEED_CONNECTIONS) as pool:
        for done in [pool.submit(put_share, s) for s in shares if s]:
            done.result()


def prepare(target, rows_to_run, work_dir):
    name, s3 = target["name"], client(target)
    ensure_bucket(s3, target.get("region"), OBJECT_BUCKET)
    for row in rows_to_run:
        urls_file = os.path.join(work_dir, f"urls-{name}-{row.op}-{row.object_bytes}")
        if row.op == "LIST":
            prepare_list(target, s3)
            starts = [None] + [list_key(n * LIST_PAGE_KEYS - 1) for n in range(1, LIST_KEYS // LIST_PAGE_KEYS)]
            paths = [presigned(s3, "list_objects_v2", Bucket=LIST_BUCKET, MaxKeys=LIST_PAGE_KEYS,
                               **({"StartAfter": s} if s else {})) for s in starts]
        else:
            keys = [object_key(row.object_bytes, i) for i in range(OBJECT_KEYS_PER_SIZE[row.object_bytes])]
            operation = "put_object" if row.op == "PUT" else "get_object"
            paths = [presigned(s3, operation, Bucket=OBJECT_BUCKET, Key=k) for k in keys]
            if row.op == "GET":  # the objects it reads, written once through the same kind of URL
                with open(row.body_file, "rb") as f:
                    put_all(target["endpoint"], [presigned(s3, "put_object", Bucket=OBJECT_BUCKET, Key=k)
                                                 for k in keys], f.read())
        write_lines(urls_file, paths)
        row.urls_file[name] = urls_file


def prepare_list(target, s3):
    ensure_bucket(s3, target.get("region"), LIST_BUCKET)
    paths = [presigned(s3, "put_object", Bucket=LIST_BUCKET, Key=list_key(i)) for i in range(LIST_KEYS)]
    put_all(target["endpoint"], paths, b"x" * LIST_KEY_BYTES)
    for start in (None, list_key(LIST_KEYS - LIST_PAGE_KEYS - 1)):
        page = s3.list_objects_v2(Bucket=LIST_BUCKET, MaxKeys=LIST_PAGE_KEYS, **({"StartAfter": start} if start else {}))
        if page["KeyCount"] != LIST_PAGE_KEYS:
            raise RuntimeError(f"{target['name']}: a LIST page holds {page['KeyCount']} keys, not {LIST_PAGE_KEYS}")
