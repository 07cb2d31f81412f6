"""Measures boot-to-marker and metering lag against a running canopy dev (see real-guests.sh)."""
import configparser, json, socket, statistics, sys, time, urllib.request
import botocore.auth, botocore.awsrequest, botocore.credentials, botocore.session

data, runs = sys.argv[1], int(sys.argv[2])
endpoints = json.load(open(f"{data}/endpoints.json"))
tenant = configparser.ConfigParser(); tenant.read(f"{data}/aws/credentials")
admin = configparser.ConfigParser(); admin.read(f"{data}/admin/credentials")
ec2 = botocore.session.get_session().create_client("ec2", endpoint_url=endpoints["ec2"], region_name=endpoints["region"],
                   aws_access_key_id=tenant["canopy"]["aws_access_key_id"],
                   aws_secret_access_key=tenant["canopy"]["aws_secret_access_key"])
admin_creds = botocore.credentials.Credentials(*[admin[admin.sections()[0]][k] for k in ("aws_access_key_id", "aws_secret_access_key")])

def received(instance):
    req = botocore.awsrequest.AWSRequest(method="GET", url=f"{endpoints['console']}/api/usage/instances/{instance}?step=3600")
    botocore.auth.SigV4Auth(admin_creds, "canopy", endpoints["region"]).add_auth(req)
    with urllib.request.urlopen(urllib.request.Request(req.url, headers=dict(req.headers))) as r:
        return sum(p[1] for line in json.load(r)["series"] if line["metric"] == "rxBytes" for p in line["points"])

image = ec2.describe_images(Filters=[{"Name": "name", "Values": ["canopy-tiny"]}])["Images"][0]["ImageId"]
boots, lags = [], []
for _ in range(runs):
    start = time.monotonic()
    instance = ec2.run_instances(ImageId=image, InstanceType="t3.micro", MinCount=1, MaxCount=1)["Instances"][0]["InstanceId"]
    while f"CANOPY-TINY-BOOTED instance-id={instance}" not in ec2.get_console_output(InstanceId=instance, Latest=True).get("Output", ""):
        time.sleep(0.25)
    boots.append(time.monotonic() - start)
    ip = ec2.describe_instances(InstanceIds=[instance])["Reservations"][0]["Instances"][0]["PrivateIpAddress"]
    while received(instance) == 0:
        time.sleep(0.5)
    before = received(instance)
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sent = time.monotonic()
    for _ in range(1000):
        sock.sendto(b"x" * 1000, (ip, 9))
    while received(instance) - before < 1000 * 1042:
        time.sleep(0.1)
    lags.append(time.monotonic() - sent)
    ec2.terminate_instances(InstanceIds=[instance])

print(f"real guests on libvirtd (QEMU TCG), {time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime())}, {runs} guests")
print("run-instances to console marker (s): " + " ".join(f"{b:.1f}" for b in boots) + f"  median {statistics.median(boots):.1f}")
print("traffic to stored samples (s):       " + " ".join(f"{l:.1f}" for l in lags) + f"  median {statistics.median(lags):.1f}")
