"""A local stand-in for opendata.cbs.nl that serves recorded CBS OData responses on 127.0.0.1.

The recordings live in ``../shared/data/odata_fixtures/CBSOData3.jl/test`` (see SOURCES.md, source C)
and are read at run time, never copied. Absolute CBS URLs in the responses (``odata.nextLink``) are
rewritten to this server, so paging goes through it too.
"""

from __future__ import annotations

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
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep test output clean
                pass

            def do_GET(self):
                server.requests.append(self.path)
                if server.fail_next > 0:
                    server.fail_next -= 1
                    self.send_response(503)
                    self.end_headers()
                    return
                parts = urlsplit(self.path)
                route = unquote(parts.path).lower().rstrip("/")
                name = ROUTES.get(route)
                if name == "tables_2.json" and parse_qs(parts.query).get("$skip") == ["10000"]:
                    name = "tables_3.json"
                if name is None:
                    self.send_response(404)
                    self.end_headers()
                    self.wfile.write(b'{"odata.error": "not found"}')
                    return
                text = (server.fixtures / name).read_text(encoding="utf-8")
                body = text.replace("https://opendata.cbs.nl", f"http://{server.host}").encode("utf-8")
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
