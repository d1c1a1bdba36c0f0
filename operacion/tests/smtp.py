"""A tiny SMTP server on 127.0.0.1 for the worker tests: it can hang up on the first N connections."""

from __future__ import annotations

import socketserver
import threading
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message


@dataclass
class ServidorSMTP:
    """The first ``colgar`` connections hang (no greeting, until the client goes away); the next
    ``fallar`` are closed without a greeting; the rest get a minimal SMTP dialogue."""

    colgar: int = 0
    fallar: int = 0
    conexiones: int = 0
    recibidos: list[Message] = field(default_factory=list)
    puerto: int = 0
    _servidor: socketserver.ThreadingTCPServer | None = None
    _candado: threading.Lock = field(default_factory=threading.Lock)

    def iniciar(self) -> ServidorSMTP:
        smtp = self

        class Manejador(socketserver.StreamRequestHandler):
            def handle(self) -> None:
                with smtp._candado:
                    smtp.conexiones += 1
                    numero = smtp.conexiones
                if numero <= smtp.colgar:
                    self.request.recv(1)  # until the client (a killed worker) closes the socket
                    return
                if numero <= smtp.colgar + smtp.fallar:
                    return  # the client sees the connection closed: SMTPServerDisconnected
                self.responder("220 prueba ESMTP")
                while linea := self.rfile.readline():
                    orden = linea.decode("ascii", "replace").strip().upper()
                    if orden.startswith(("EHLO", "HELO")):
                        self.responder("250 prueba")
                    elif orden.startswith(("MAIL", "RCPT", "RSET", "NOOP")):
                        self.responder("250 OK")
                    elif orden == "DATA":
                        self.responder("354 adelante")
                        datos = b""
                        while (parte := self.rfile.readline()) not in (b".\r\n", b""):
                            datos += parte
                        with smtp._candado:
                            smtp.recibidos.append(message_from_bytes(datos))
                        self.responder("250 recibido")
                    elif orden == "QUIT":
                        self.responder("221 adiós")
                        return
                    else:
                        self.responder("502 no implementado")

            def responder(self, texto: str) -> None:
                self.wfile.write(texto.encode() + b"\r\n")

        socketserver.ThreadingTCPServer.allow_reuse_address = True
        self._servidor = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Manejador)
        self._servidor.daemon_threads = True
        self.puerto = self._servidor.server_address[1]
        threading.Thread(target=self._servidor.serve_forever, daemon=True).start()
        return self

    def detener(self) -> None:
        if self._servidor is not None:
            self._servidor.shutdown()
            self._servidor.server_close()
