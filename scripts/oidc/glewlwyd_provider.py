#!/usr/bin/env python3
"""A real OpenID Connect provider for the tests: Debian's glewlwyd (2.7), run on loopback.

  glewlwyd_provider.py serve --root DIR --state DIR
      Creates a fresh sqlite database and config under --state, starts glewlwyd from the unpacked
      package under --root on a free loopback port, configures it through its admin API (an OIDC
      plugin signing RS256 tokens, a confidential client for client credentials, password, device
      and refresh grants, a public client for device flow and PKCE, a user), prints one JSON line
      with the issuer and the credentials, then runs until stdin closes or a signal arrives.

  glewlwyd_provider.py approve --api URL --client ID --user-code CODE --username U --password P
      Approves a device authorization as the user would in a browser: logs in, grants the client
      its scopes and enters the user code (RFC 8628 section 3.3).

  glewlwyd_provider.py browse --api URL --client ID --url SIGN_IN_URL --username U --password P
      Plays the browser of the authorization-code flow: logs in, grants, follows the redirects from
      the runner's loopback URL through the provider back to the runner's callback.

Standard library only. The tests run it (Tests/ArmadaClientTests/OIDCProviderTests.swift);
`make oidc-provider` unpacks glewlwyd into .build-oidc/root.
"""
import argparse
import gzip
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

PLUGIN = "oidc"
SCOPES = "openid armada"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Session:
    """An HTTP client that keeps glewlwyd's session cookie and never follows redirects. The cookie
    is kept by hand: glewlwyd sets `Domain=` (empty) for a loopback host, which cookie jars refuse."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    def __init__(self, api):
        self.api = api
        self.cookies = {}
        self.opener = urllib.request.build_opener(Session.NoRedirect())

    def call(self, method, path, body=None, expect=(200,)):
        data = None if body is None else json.dumps(body).encode()
        headers = {"Content-Type": "application/json"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        request = urllib.request.Request(self.api + path, data=data, method=method, headers=headers)
        try:
            with self.opener.open(request, timeout=10) as response:
                status, headers, text = response.status, response.headers, response.read().decode()
        except urllib.error.HTTPError as error:
            status, headers, text = error.code, error.headers, error.read().decode()
        for cookie in headers.get_all("Set-Cookie") or []:
            name, _, value = cookie.split(";", 1)[0].partition("=")
            self.cookies[name.strip()] = value.strip()
        if status not in expect:
            raise SystemExit(f"{method} {path}: HTTP {status}: {text[:500]}")
        return status, headers, text


def wait_until_up(api, process, deadline=20):
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        if process.poll() is not None:
            raise SystemExit(f"glewlwyd exited with {process.returncode}")
        try:
            urllib.request.urlopen(api + "/" + PLUGIN + "/.well-known/openid-configuration", timeout=1)
            return
        except urllib.error.HTTPError:
            return  # up; the plugin is not configured yet
        except OSError:
            time.sleep(0.05)
    raise SystemExit("glewlwyd did not start listening")


def rsa_key_pair(state):
    key, cert = os.path.join(state, "key.pem"), os.path.join(state, "pub.pem")
    subprocess.run(["openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", key],
                   check=True, capture_output=True)
    subprocess.run(["openssl", "pkey", "-in", key, "-pubout", "-out", cert], check=True, capture_output=True)
    return open(key).read(), open(cert).read()


def configure(api, state, token_seconds, pkce_port):
    admin = Session(api)
    admin.call("POST", "/auth/", {"username": "admin", "password": "password"})
    private, public = rsa_key_pair(state)
    admin.call("POST", "/mod/plugin/", {
        "module": "oidc", "name": PLUGIN, "display_name": "OIDC for armada-testsuite", "enabled": True,
        "parameters": {
            "iss": api + "/" + PLUGIN, "jwt-type": "rsa", "jwt-key-size": "256", "key": private, "cert": public,
            "jwks-show": True, "access-token-duration": token_seconds, "refresh-token-duration": 3600,
            "code-duration": 600, "refresh-token-rolling": True, "allow-non-oidc": True,
            "auth-type-code-enabled": True, "auth-type-token-enabled": False, "auth-type-id-token-enabled": True,
            "auth-type-none-enabled": True, "auth-type-password-enabled": True, "auth-type-client-enabled": True,
            "auth-type-device-enabled": True, "auth-type-refresh-enabled": True, "auth-type-implicit-enabled": False,
            "pkce-allowed": True, "pkce-method-plain-allowed": False, "allowed-scope": ["openid", "armada"],
            "device-authorization-expiration": 600, "device-authorization-interval": 1,
        },
    })
    admin.call("POST", "/scope/", {"name": "armada", "display_name": "Armada", "description": "Armada API",
                                    "password_required": False})
    secret = secrets.token_urlsafe(24)
    admin.call("POST", "/client/", {
        "client_id": "armada-ci", "client_name": "armada-ci", "client_secret": secret, "password": secret, "confidential": True,
        "enabled": True, "scope": ["openid", "armada"],
        "authorization_type": ["client_credentials", "password", "device_authorization", "refresh_token", "code"],
        # Without it glewlwyd accepts no way for the client to authenticate ("client_id invalid").
        "token_endpoint_auth_method": ["client_secret_basic", "client_secret_post"],
        "redirect_uri": [],
    })
    admin.call("POST", "/client/", {
        "client_id": "armada-cli", "client_name": "armada-cli", "confidential": False, "enabled": True,
        "authorization_type": ["device_authorization", "refresh_token", "code"],
        "token_endpoint_auth_method": ["none"], "scope": ["openid", "armada"],
        "redirect_uri": [f"http://localhost:{pkce_port}/auth/callback"],
    })
    password = secrets.token_urlsafe(18)
    admin.call("POST", "/user/", {"username": "alice", "name": "Alice", "enabled": True, "password": password,
                                  "scope": ["openid", "armada", "g_profile"]})
    return {"clientId": "armada-ci", "clientSecret": secret, "publicClientId": "armada-cli",
            "username": "alice", "password": password, "pkcePort": pkce_port}


def serve(args):
    os.makedirs(args.state, exist_ok=True)
    db = os.path.join(args.state, "glewlwyd.db")
    if os.path.exists(db):
        os.remove(db)
    schema = os.path.join(args.root, "usr/share/doc/glewlwyd/database/init.sqlite3.sql.gz")
    subprocess.run(["sqlite3", db], input=gzip.open(schema).read(), check=True)
    port = args.port or free_port()
    base = f"http://127.0.0.1:{port}"
    static = os.path.join(args.state, "static")
    os.makedirs(static, exist_ok=True)
    modules = os.path.join(args.root, "usr/lib/glewlwyd")
    os.makedirs(os.path.join(args.state, "user_middleware"), exist_ok=True)
    config = os.path.join(args.state, "glewlwyd.conf")
    with open(config, "w") as f:
        f.write(f"""port={port}
bind_address="127.0.0.1"
external_url="{base}"
login_url="login.html"
api_prefix="api"
static_files_path="{static}/"
allow_origin="*"
allow_methods="GET, POST, PUT, DELETE, OPTIONS"
allow_headers="Origin, X-Requested-With, Content-Type, Accept, Bearer, Authorization, DPoP"
expose_headers="Content-Encoding, Authorization"
log_mode="console"
log_level="{args.log_level}"
cookie_domain=""
cookie_secure=0
cookie_same_site="empty"
session_expiration=3600
session_key="GLEWLWYD2_SESSION_ID"
admin_session_authentication="cookie"
profile_session_authentication="cookie"
allow_multiple_user_per_session=true
login_api_enabled=true
plugin_api_run_enabled=""
add_x_frame_option_header_deny=true
max_post_size=16778240
admin_scope="g_admin"
profile_scope="g_profile"
user_module_path="{modules}/user"
user_middleware_module_path="{args.state}/user_middleware"
client_module_path="{modules}/client"
user_auth_scheme_module_path="{modules}/scheme"
plugin_module_path="{modules}/plugin"
use_secure_connection=false
# glewlwyd 2.7 refuses a config without these three, even with TLS off.
secure_connection_key_file="{args.state}/unused.key"
secure_connection_pem_file="{args.state}/unused.pem"
secure_connection_ca_file="{args.state}/unused.crt"
hash_algorithm = "SHA512"
database = {{ type = "sqlite3" path = "{db}" }};
""")
    log = open(os.path.join(args.state, "glewlwyd.log"), "w")
    process = subprocess.Popen([os.path.join(args.root, "usr/bin/glewlwyd"), "-c", config],
                               stdout=log, stderr=subprocess.STDOUT)

    def stop():
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(5)
            except subprocess.TimeoutExpired:
                process.kill()

    def on_signal(*_):
        stop()
        sys.exit(0)

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    try:
        api = base + "/api"
        wait_until_up(api, process)
        credentials = configure(api, args.state, args.token_seconds, args.pkce_port or free_port())
        print(json.dumps({"issuer": api + "/" + PLUGIN, "api": api, "scopes": SCOPES, **credentials}), flush=True)
        sys.stdin.read()  # until the test closes our stdin (or exits)
    finally:
        stop()


def approve(args):
    user = Session(args.api)
    user.call("POST", "/auth/", {"username": args.username, "password": args.password})
    user.call("PUT", "/auth/grant/" + urllib.parse.quote(args.client), {"scope": args.scope})
    status, headers, _ = user.call("GET", f"/{PLUGIN}/device?code={urllib.parse.quote(args.user_code)}&g_continue",
                                   expect=(302,))
    location = headers.get("Location", "")
    if "prompt=deviceComplete" not in location:
        raise SystemExit(f"the provider did not accept the user code: redirected to {location}")
    print("approved")


def browse(args):
    """What a browser does with the runner's sign-in URL (openIdAuth): logged in as the user, who
    has granted the client its scopes, it follows the redirects to the provider and back to the
    runner's loopback callback."""
    user = Session(args.api)
    user.call("POST", "/auth/", {"username": args.username, "password": args.password})
    user.call("PUT", "/auth/grant/" + urllib.parse.quote(args.client), {"scope": args.scope})
    url = args.url
    for _ in range(5):
        request = urllib.request.Request(url, headers={"Cookie": "; ".join(f"{k}={v}" for k, v in user.cookies.items())})
        try:
            with user.opener.open(request, timeout=10) as response:
                status, headers = response.status, response.headers
        except urllib.error.HTTPError as error:
            status, headers = error.code, error.headers
        if status in (301, 302, 303, 307):
            url = urllib.parse.urljoin(url, headers.get("Location", ""))
            target = urllib.parse.urlparse(url)
            if target.path.endswith("/login.html"):
                # glewlwyd's login page: with the session signed in and the grant given, its
                # "continue" button goes back to the authorization request with g_continue.
                url = urllib.parse.parse_qs(target.query)["callback_url"][0] + "&g_continue"
            continue
        if status != 200:
            raise SystemExit(f"GET {url.split('?')[0]}: HTTP {status}")
        print("signed in")
        return
    raise SystemExit("too many redirects")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    s = sub.add_parser("serve")
    s.add_argument("--root", required=True, help="the unpacked glewlwyd package (usr/bin/glewlwyd inside)")
    s.add_argument("--state", required=True, help="a directory for the database, config and keys")
    s.add_argument("--port", type=int, default=0)
    s.add_argument("--token-seconds", type=int, default=3600, help="access-token lifetime")
    s.add_argument("--log-level", default="ERROR", help="glewlwyd's log level (DEBUG, INFO, WARNING, ERROR)")
    s.add_argument("--pkce-port", type=int, default=0, help="the public client's redirect port (default: a free one)")
    b = sub.add_parser("browse")
    b.add_argument("--api", required=True)
    b.add_argument("--client", required=True)
    b.add_argument("--url", required=True, help="the sign-in URL the runner printed")
    b.add_argument("--username", required=True)
    b.add_argument("--password", required=True)
    b.add_argument("--scope", default=SCOPES)
    a = sub.add_parser("approve")
    a.add_argument("--api", required=True)
    a.add_argument("--client", required=True)
    a.add_argument("--user-code", required=True)
    a.add_argument("--username", required=True)
    a.add_argument("--password", required=True)
    a.add_argument("--scope", default=SCOPES)
    args = parser.parse_args()
    {"serve": serve, "approve": approve, "browse": browse}[args.command](args)


if __name__ == "__main__":
    main()
