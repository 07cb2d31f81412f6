"""Signs fixed requests with botocore, as a second SigV4 oracle for BotocoreSignedRequestsTest.

Prints a JSON list of requests as they would go on the wire. The clock is pinned by replacing
datetime.datetime inside botocore.auth, so every run prints the same signatures.
"""
import base64
import io
import datetime
import json
import sys

try:
    import botocore.auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials
    from botocore.httpchecksum import AwsChunkedWrapper, Crc32Checksum
    from botocore.utils import percent_encode, percent_encode_sequence
except ImportError as e:
    sys.stderr.write("python3-botocore is not installed (apt-get install python3-botocore): %s\n" % e)
    sys.exit(3)

ACCESS_KEY, SECRET, REGION = sys.argv[1], sys.argv[2], sys.argv[3]
YEAR, MONTH, DAY, HOUR = (int(x) for x in sys.argv[4:8])


class FixedDatetime(datetime.datetime):
    @classmethod
    def utcnow(cls):
        return cls(YEAR, MONTH, DAY, HOUR, 0, 0)


botocore.auth.datetime.datetime = FixedDatetime
CREDS = Credentials(ACCESS_KEY, SECRET)
S3 = "http://s3.example.com:8779"
EC2 = "https://ec2.example.com"


def signed(name, signer, method, url, headers=None, body=b"", context=None, payload=None):
    request = AWSRequest(method=method, url=url, headers=headers or {}, data=body)
    request.context.update(context or {})
    signer.add_auth(request)
    wire_headers = [[k, v] for k, v in request.headers.items()]
    if not any(k.lower() == "host" for k, _ in wire_headers):
        # botocore signs the host from the URL and leaves the header to the HTTP client.
        wire_headers.append(["host", botocore.auth._host_from_url(request.url)])
    data = request.body or b""
    if isinstance(data, str):
        data = data.encode("utf-8")
    return {
        "name": name,
        "service": signer._service_name,
        "method": method,
        "url": request.url,
        "headers": wire_headers,
        "body": base64.b64encode(data).decode("ascii"),
        "payload": base64.b64encode(data if payload is None else payload).decode("ascii"),
    }


def aws_chunked_put(name, url, data):
    """An upload as botocore's flexible checksums send it: aws-chunked, CRC32 in a trailer."""
    wrapper = AwsChunkedWrapper(io.BytesIO(data), checksum_cls=Crc32Checksum,
                                checksum_name="x-amz-checksum-crc32", chunk_size=16384)
    headers = {"Content-Encoding": "aws-chunked", "X-Amz-Trailer": "x-amz-checksum-crc32",
               "X-Amz-Decoded-Content-Length": str(len(data))}
    context = {"checksum": {"request_algorithm": {
        "in": "trailer", "algorithm": "crc32", "name": "x-amz-checksum-crc32"}}}
    return signed(name, s3, "PUT", url, headers, wrapper.read(), context, payload=data)


def s3_key_url(bucket, key, query=None):
    url = "%s/%s/%s" % (S3, bucket, percent_encode(key, safe="/~"))
    return url + ("?" + percent_encode_sequence(query) if query else "")


s3 = botocore.auth.S3SigV4Auth(CREDS, "s3", REGION)
ec2 = botocore.auth.SigV4Auth(CREDS, "ec2", REGION)
canopy = botocore.auth.SigV4Auth(CREDS, "canopy", REGION)
cases = [
    signed("s3 get with awkward query", s3, "GET",
           S3 + "/bucket?" + percent_encode_sequence(
               [("prefix", "photos/2024 summer"), ("delimiter", "/"), ("uni", "été €😀"),
                ("k", "b"), ("k", "a"), ("empty", ""), ("a+b", "x+y&z=")])),
    signed("s3 get key with special characters", s3, "GET",
           s3_key_url("bucket", "dir/a b+c!$'()*,;=:@&[]~é😀%.txt")),
    signed("s3 put signed payload", s3, "PUT", s3_key_url("bucket", "hello.txt"),
           {"Content-Type": "text/plain"}, b"Hello from botocore\n"),
    signed("s3 put with Date header", s3, "PUT", s3_key_url("bucket", "dated.txt"),
           {"Date": "placeholder"}, b"dated body"),
    signed("s3 presigned get", botocore.auth.S3SigV4QueryAuth(CREDS, "s3", REGION, expires=900), "GET",
           s3_key_url("bucket", "photos/summer 2024.jpg", [("versionId", "v1")])),
    signed("ec2 post form", ec2, "POST", EC2 + "/",
           {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"},
           percent_encode_sequence([("Action", "DescribeInstances"), ("Version", "2016-11-15"),
                                    ("Filter.1.Name", "tag:Name"), ("Filter.1.Value.1", "web server")])
           .encode("utf-8")),
    signed("ec2 get query", ec2, "GET",
           EC2 + "/?" + percent_encode_sequence([("Action", "DescribeRegions"), ("Version", "2016-11-15"),
                                                 ("RegionName.1", "us-east-1")])),
    signed("ec2 presigned get", botocore.auth.SigV4QueryAuth(CREDS, "ec2", REGION, expires=300), "GET",
           EC2 + "/?" + percent_encode_sequence([("Action", "DescribeRegions"), ("Version", "2016-11-15")])),
    aws_chunked_put("s3 aws-chunked put with crc32 trailer", s3_key_url("bucket", "big.bin"),
                    bytes((i * 7 + 3) % 251 for i in range(50000))),
    signed("canopy path normalised", canopy, "GET", "https://admin.example.com/admin/./a%20b//c/../d/"),
]
json.dump(cases, sys.stdout, ensure_ascii=True, indent=1)
