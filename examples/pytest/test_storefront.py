# The mock storefront from pytest: the sign-in form, the Current Customer JWT verified with PyJWT
# as an app backend does, a fault, a clock move and Customer Login. The apps, customers and
# secrets are the default fixtures' (docs/fixtures.md).
import time
import uuid
from dataclasses import dataclass

import jwt
import pytest


@dataclass(frozen=True)
class App:
    client_id: str
    secret: str
    algorithm: str


HS512_APP = App("6sv16tfx3j5gsopm42ss5dd67g2srvq", "demo-client-secret-6sv16tfx3j5gsopm42ss5dd67g2srvq-at-least-64-bytes", "HS512")
HS256_APP = App("hs256demo0app0client0id00000000", "demo-client-secret-hs256demo0app0client0id00000000-at-least-64-bytes", "HS256")
JOHN = {"id": 4927, "email": "john.doe@example.com", "group_id": "6"}
JANE = {"id": 4928, "email": "jane.roe@example.com", "group_id": "0"}
PASSWORD = "letmein"
# What a wrong-secret fault signs with (docs/failure-scenarios.md).
WRONG_SECRET = "bcmock-wrong-secret-not-the-apps-at-least-64-bytes-as-rfc-7518-asks"


@pytest.fixture(params=[HS512_APP, HS256_APP], ids=lambda app: app.algorithm)
def app(request):
    return request.param


def sign_in(mock, shopper, email, password=PASSWORD):
    """Sign in through the storefront's form, as a shopper's browser does."""
    response = shopper.post(
        f"{mock.url}/login.php?action=check_login",
        data={"login_email": email, "login_pass": password},
        allow_redirects=False,
        timeout=10,
    )
    assert response.status_code == 302, response.text
    assert response.headers["location"] == "/account.php"


def current_customer(mock, shopper, app):
    """What storefront JavaScript asks: GET /customer/current.jwt?app_client_id=..."""
    return shopper.get(f"{mock.url}/customer/current.jwt", params={"app_client_id": app.client_id}, timeout=10)


def verify(token, app):
    """What the app's backend does with the token: the app's secret and algorithm, its client id as audience."""
    return jwt.decode(token, app.secret, algorithms=[app.algorithm], audience=app.client_id)


def test_demo_secrets_are_long_enough_for_pyjwt(app):
    # PyJWT 2.10 and later warn (InsecureKeyLengthWarning, an error under -W error) for an HMAC key
    # shorter than its hash; older ones, Debian 12's 2.6 say, do not, so the length is checked here.
    assert len(app.secret.encode()) >= 64


def test_sign_in_through_the_form_gives_a_token_my_backend_verifies(mock, shopper, app):
    sign_in(mock, shopper, JOHN["email"])
    assert {"SHOP_SESSION_TOKEN", "SHOP_TOKEN"} <= set(shopper.cookies.keys())

    response = current_customer(mock, shopper, app)
    assert response.status_code == 200
    assert jwt.get_unverified_header(response.text)["alg"] == app.algorithm
    claims = verify(response.text, app)
    assert claims["customer"] == JOHN
    assert claims["store_hash"] == mock.store_hash
    assert claims["exp"] - claims["iat"] == 900


def test_a_guest_gets_404(mock, shopper, app):
    assert current_customer(mock, shopper, app).status_code == 404


def test_a_wrong_password_signs_nobody_in(mock, shopper):
    response = shopper.post(
        f"{mock.url}/login.php?action=check_login",
        data={"login_email": JOHN["email"], "login_pass": "not-the-password"},
        allow_redirects=False,
        timeout=10,
    )
    assert response.status_code == 401
    assert current_customer(mock, shopper, HS512_APP).status_code == 404


def test_the_token_endpoint_fails_once_then_answers(mock, shopper):
    sign_in(mock, shopper, JOHN["email"])
    fault = mock.control("POST", "/__mock/faults", json={"route": "current-customer", "effect": "status", "status": 503, "times": 1})

    failed = current_customer(mock, shopper, HS512_APP)
    assert failed.status_code == 503
    assert failed.headers["x-mock-fault"] == f"{fault['id']} status"
    assert verify(current_customer(mock, shopper, HS512_APP).text, HS512_APP)["customer"] == JOHN

    last_two = mock.control("GET", "/__mock/requests", params={"limit": 2})["requests"]
    assert [(entry["status"], entry["outcome"]) for entry in last_two] == [(503, "fault:status"), (200, "ok")]


def test_my_backend_rejects_an_expired_token(mock, shopper, app):
    sign_in(mock, shopper, JOHN["email"])
    mock.control("POST", "/__mock/faults", json={"route": "current-customer", "effect": "expired-token", "times": 1})

    with pytest.raises(jwt.ExpiredSignatureError):
        verify(current_customer(mock, shopper, app).text, app)
    verify(current_customer(mock, shopper, app).text, app)


def test_my_backend_rejects_a_token_signed_with_another_secret(mock, shopper, app):
    sign_in(mock, shopper, JOHN["email"])
    mock.control("POST", "/__mock/faults", json={"route": "current-customer", "effect": "wrong-secret"})

    token = current_customer(mock, shopper, app).text
    with pytest.raises(jwt.InvalidSignatureError):
        verify(token, app)
    # Wrong only in its key: it verifies with the fault's public secret.
    assert verify(token, App(app.client_id, WRONG_SECRET, app.algorithm))["customer"] == JOHN


def test_a_clock_moved_back_then_ahead(mock, shopper):
    sign_in(mock, shopper, JOHN["email"])
    now = int(time.time())

    # Frozen 1000 s ago: the token's exp (iat + 900) has passed by the real time PyJWT checks.
    mock.control("PUT", "/__mock/clock", json={"now": now - 1000})
    stale = current_customer(mock, shopper, HS512_APP).text
    assert jwt.decode(stale, options={"verify_signature": False})["iat"] == now - 1000
    with pytest.raises(jwt.ExpiredSignatureError):
        verify(stale, HS512_APP)

    clock = mock.control("PUT", "/__mock/clock", json={"advance": 1000})
    assert (clock["now"], clock["frozen"]) == (now, True)
    assert verify(current_customer(mock, shopper, HS512_APP).text, HS512_APP)["iat"] == now


def test_a_customer_login_url_from_the_control_api_signs_the_shopper_in(mock, shopper):
    login = mock.control("POST", "/__mock/customer-login-url", json={"client_id": HS512_APP.client_id, "customer_id": JOHN["id"]})

    landed = shopper.get(login["url"], timeout=10)
    assert [(hop.status_code, hop.headers["location"]) for hop in landed.history] == [(302, "/account.php")]
    assert landed.status_code == 200
    assert f'data-field="id">{JOHN["id"]}<' in landed.text
    assert verify(current_customer(mock, shopper, HS512_APP).text, HS512_APP)["customer"] == JOHN


def test_a_customer_login_url_my_backend_signs_with_pyjwt(mock, shopper, app):
    # As docs/customer-login.md says an app backend signs it: HS256 with the app's client secret.
    token = jwt.encode(
        {
            "iss": app.client_id,
            "iat": int(time.time()),
            "jti": str(uuid.uuid4()),
            "operation": "customer_login",
            "store_hash": mock.store_hash,
            "customer_id": JANE["id"],
            "redirect_to": "/account.php?tab=orders",
        },
        app.secret,
        algorithm="HS256",
    )

    redirect = shopper.get(f"{mock.url}/login/token/{token}", allow_redirects=False, timeout=10)
    assert (redirect.status_code, redirect.headers["location"]) == (302, "/account.php?tab=orders")
    assert verify(current_customer(mock, shopper, app).text, app)["customer"] == JANE

    # A URL works once: the same one again is refused, back to the sign-in page.
    replay = shopper.get(f"{mock.url}/login/token/{token}", allow_redirects=False, timeout=10)
    assert (replay.status_code, replay.headers["location"]) == (302, "/login.php")
