"""Interop check: Armada's official Python client (armada-client on PyPI, gRPC) against a server.

Usage: python armada_client_interop.py HOST:PORT

Creates a queue, submits three jobs (two that succeed, one that sleeps), watches the job set with
the client's event stream, cancels the sleeper once it runs, and checks what the stream said and
what the Jobs API records (details with runs, run details, errors).
Prints one JSON line with what it saw; exits 0 when everything was as Armada's API promises.
"""
import json
import sys
import uuid

import grpc
from armada_client.client import ArmadaClient
from armada_client.k8s.io.api.core.v1 import generated_pb2 as core_v1
from armada_client.k8s.io.apimachinery.pkg.api.resource import generated_pb2 as api_resource


def pod(command):
    resources = {"cpu": api_resource.Quantity(string="100m"), "memory": api_resource.Quantity(string="25Mi")}
    return core_v1.PodSpec(
        restartPolicy="Never",
        containers=[core_v1.Container(
            name="main", image="alpine:3.20.0", command=["sh", "-c", command],
            resources=core_v1.ResourceRequirements(requests=resources, limits=resources))])


def main(address):
    client = ArmadaClient(grpc.insecure_channel(address))
    failures = []
    health = client.submit_health()
    if health.status != health.SERVING:
        failures.append(f"submit health is {health.status}")

    queue = "py-interop-" + uuid.uuid4().hex[:8]
    client.create_queue(client.create_queue_request(name=queue, priority_factor=1.0))
    got = client.get_queue(queue)
    if got.name != queue or got.priority_factor != 1.0:
        failures.append(f"get_queue returned {got}")
    if queue not in [q.name for q in client.get_queues()]:
        failures.append("get_queues does not list the new queue")

    job_set = "py-set-" + uuid.uuid4().hex[:8]
    items = [client.create_job_request_item(namespace="default", pod_spec=pod(c)) for c in ["true", "true", "sleep 600"]]
    response = client.submit_jobs(queue=queue, job_set_id=job_set, job_request_items=items)
    ids = [item.job_id for item in response.job_response_items]
    errors = [item.error for item in response.job_response_items if item.error]
    if len(ids) != 3 or errors:
        failures.append(f"submit returned {response}")
    sleeper = ids[2]

    seen = {}
    cancelled = False
    stream = client.get_job_events_stream(queue=queue, job_set_id=job_set)
    for message in stream:
        event = client.unmarshal_event_response(message)
        kind = event.type.value if hasattr(event.type, "value") else str(event.type)
        seen.setdefault(event.message.job_id, []).append(kind)
        if event.message.job_id == sleeper and kind == "running" and not cancelled:
            client.cancel_jobs(queue=queue, job_set_id=job_set, job_id=sleeper)
            cancelled = True
        done = [j for j in ids if seen.get(j) and seen[j][-1] in ("succeeded", "failed", "cancelled")]
        if len(done) == 3:
            break
    client.unwatch_events(stream)

    for job in ids[:2]:
        if seen.get(job, [])[-1:] != ["succeeded"] or seen[job][0] != "submitted":
            failures.append(f"job {job}: {seen.get(job)}")
    if seen.get(sleeper, [])[-2:] != ["cancelling", "cancelled"] or "running" not in seen.get(sleeper, []):
        failures.append(f"sleeper {sleeper}: {seen.get(sleeper)}")
    status = client.get_job_status(ids)
    states = {job: status.job_states[job] for job in ids}

    # The Jobs API's record of the same jobs: details with their runs, one run's details, no errors.
    details = client.get_job_details(ids).job_details
    for job, expected in zip(ids, [3, 3, 9]):  # SUCCEEDED, SUCCEEDED, CANCELLED
        d = details.get(job) if job in details else None
        if d is None or d.state != expected or d.queue != queue or d.jobset != job_set or len(d.job_runs) != 1 \
                or d.latest_run_id != d.job_runs[0].run_id or not d.job_runs[0].node:
            failures.append(f"job details of {job}: {d}")
    run_id = details[ids[0]].job_runs[0].run_id if ids[0] in details and details[ids[0]].job_runs else ""
    runs = client.get_job_run_details([run_id]).job_run_details
    run = runs[run_id] if run_id in runs else None
    if run is None or run.state != 4 or run.job_id != ids[0] or not run.HasField("finished_ts") \
            or run.finished_ts.ToNanoseconds() < run.leased_ts.ToNanoseconds():  # RUN_STATE_SUCCEEDED
        failures.append(f"run details of {run_id}: {run}")
    if dict(client.get_job_errors(ids).job_errors):
        failures.append("job errors for jobs that did not fail")

    client.cancel_jobset(queue=queue, job_set_id=job_set, filter_states=[])
    client.delete_queue(queue)
    print(json.dumps({"queue": queue, "jobs": len(ids), "events": seen, "states": {k: int(v) for k, v in states.items()},
                      "failures": failures}))
    return 0 if not failures else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
