"""FastAPI + PyJWT (PyJWKClient, HTTPBearer) as FastAPI's security tutorials wire them, on loopback."""

import sys

import jwt
import uvicorn
from fastapi import Depends, FastAPI, HTTPException
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

issuer = sys.argv[1]
port = int(sys.argv[2]) if len(sys.argv) > 2 else 0
origin = issuer.split("/oidc")[0]
audience = "demo-app"
jwks_uri = f"{issuer}/.well-known/jwks.json"
shared_secret = "interop-hs256-shared-secret-of-32-bytes!"
bearer = HTTPBearer()
app = FastAPI()


def guard(issuer, audience, jwks_uri, algorithms, scope_claim, scope, secret=None):
    """A dependency that verifies the token the way one route is configured, then its scope."""
    jwks = None if secret else jwt.PyJWKClient(jwks_uri)

    def check(credentials: HTTPAuthorizationCredentials = Depends(bearer)):
        token = credentials.credentials
        try:
            key = secret or jwks.get_signing_key_from_jwt(token).key
            claims = jwt.decode(token, key, algorithms=algorithms, audience=audience, issuer=issuer)
        except jwt.PyJWTError as error:
            raise HTTPException(status_code=401, detail=str(error))
        # Absent claim: the Auth0 FastAPI sample's words (`_check_claims`). A claim without the
        # scope: FastAPI's "OAuth2 scopes" tutorial (401, "Not enough permissions", a challenge
        # naming the scopes).
        if scope_claim not in claims:
            raise HTTPException(status_code=403, detail=f'No claim "{scope_claim}" found in token')
        granted = claims[scope_claim]
        granted = granted if isinstance(granted, list) else str(granted).split()
        if scope not in granted:
            raise HTTPException(
                status_code=401,
                detail="Not enough permissions",
                headers={"WWW-Authenticate": f'Bearer scope="{scope}"'},
            )
        return claims

    return check


def mount(method, path, scope="order:read", scope_claim="scope", **override):
    config = dict(issuer=issuer, audience=audience, jwks_uri=jwks_uri, algorithms=["RS256"])
    config.update(override)
    dependency = guard(scope_claim=scope_claim, scope=scope, **config)

    def handler(claims=Depends(dependency)):
        return {"ok": True, "path": path}

    app.add_api_route(path, handler, methods=[method])


mount("GET", "/api/protected")
mount("POST", "/api/orders", scope="order:write")
mount("GET", "/api/misconfigured/issuer", issuer=f"{origin}/odic")
mount("GET", "/api/misconfigured/audience", audience="https://api.example.com")
mount("GET", "/api/misconfigured/hs256", algorithms=["HS256"], secret=shared_secret)
mount("GET", "/api/misconfigured/jwks", jwks_uri=f"{origin}/.well-known/jwks.json")
mount("GET", "/api/misconfigured/scp", scope_claim="scp")


if __name__ == "__main__":
    import socket

    # Bind first, so port 0 can be announced before uvicorn serves on the same socket.
    sock = socket.socket()
    sock.bind(("127.0.0.1", port))
    print(f"interop fastapi_pyjwt listening http://127.0.0.1:{sock.getsockname()[1]}", flush=True)
    config = uvicorn.Config(app, log_level="warning")
    uvicorn.Server(config).run(sockets=[sock])
