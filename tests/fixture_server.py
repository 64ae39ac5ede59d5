"""A local stand-in for CBS (OData v3 at opendata.cbs.nl, OData v4 at datasets.cbs.nl/odata/v1) on 127.0.0.1.

The v3 recordings live in ``../shared/data/odata_fixtures/CBSOData3.jl/test`` (see SOURCES.md, source C)
and are read at run time, never copied. Generated documents (``server.docs``: request path in lower case
-> JSON object, or a function of the query string for paged lists; see ``odata_v4_fixtures``) are
served beside them. Absolute CBS URLs in the responses (``odata.nextLink``) are rewritten to this
server, so paging goes through it too.

Faults: ``fail_next`` answers the next N requests with 503; ``down`` = {'v3'} and/or {'v4'} makes an
API fail every request (``down_mode`` 'http503', or 'reset': the connection is closed unanswered, as
CBS's v3 did in 2026); ``fail_paths`` answers requests whose path and query contain one of the given
strings with 503.
"""

from __future__ import annotations

import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

# request path (lower case, no trailing slash) -> recorded file
ROUTES = {
    "/odatafeed/odata/80137ned": "meta_1.json",
    "/odatafeed/odata/80137ned/tableinfos": "meta_2.json",
    "/odatafeed/odata/80137ned/categorygroups": "meta_3.json",
    "/odatafeed/odata/80137ned/persoonskenmerken": "meta_4.json",
    "/odatafeed/odata/80137ned/bedrijfstakkensbi93": "meta_5.json",
    "/odatafeed/odata/80137ned/perioden": "meta_6.json",
    "/odatafeed/odata/80137ned/dataproperties": "meta_7.json",
    "/odatafeed/odata/80137ned/typeddataset": "meta_8.json",
    "/odatacatalog/tables": "tables_1.json",
    "/odatafeed/odata/83599ned/untypeddataset": "tables_2.json",
}


class FixtureServer:
    def __init__(self, fixtures: Path):
        self.fixtures = Path(fixtures)
        self.requests: list[str] = []
        self.fail_next = 0  # answer this many requests with 503
        self.docs: dict = {}
        self.down: set[str] = set()
        self.down_mode = "http503"
        self.fail_paths: set[str] = set()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep test output clean
                pass

            def _fail(self):
                self.send_response(503)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def do_GET(self):
                server.requests.append(self.path)
                parts = urlsplit(self.path)
                route = unquote(parts.path).lower().rstrip("/")
                api = "v4" if route.startswith("/odata/v1") else "v3"
                if api in server.down:
                    if server.down_mode == "reset":
                        self.close_connection = True
                        self.connection.shutdown(socket.SHUT_RDWR)
                        return
                    return self._fail()
                if server.fail_next > 0:
                    server.fail_next -= 1
                    return self._fail()
                if any(f in unquote(self.path) for f in server.fail_paths):
                    return self._fail()
                doc = server.docs.get(route)
                if doc is not None:
                    doc = doc(parse_qs(parts.query)) if callable(doc) else doc
                    return self._send(json.dumps(doc, ensure_ascii=False).replace("http://FIXTUREHOST",
                                                                                  f"http://{server.host}"))
                name = ROUTES.get(route)
                if name == "tables_2.json" and parse_qs(parts.query).get("$skip") == ["10000"]:
                    name = "tables_3.json"
                if name is None:
                    self.send_response(404)
                    self.end_headers()
                    self.wfile.write(b'{"odata.error": "not found"}')
                    return
                text = (server.fixtures / name).read_text(encoding="utf-8")
                self._send(text.replace("https://opendata.cbs.nl", f"http://{server.host}"))

            def _send(self, text: str):
                body = text.encode("utf-8")
                self.send_response(200)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.host = f"127.0.0.1:{self.httpd.server_address[1]}"
        # a short poll interval: shutdown() waits for the next poll (0,5 s by default, for every test)
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02},
                                       daemon=True)

    def __enter__(self) -> "FixtureServer":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
