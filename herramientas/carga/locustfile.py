"""The page mix of the load test (run by herramientas/carga/correr.py, `make carga`; README, producción).

Three kinds of visitors, 50 in all, with no pause between requests (a closed loop: each one asks again as
soon as it has its answer, so the server, not the think time, sets the throughput):
- a dependencia (weight 5): its home page, then its items' pages;
- the Contraloría (weight 2): the overdue board;
- the public (weight 3): the transparency portal's home, a municipio's page and a convenio's page.
Sessions and addresses come from herramientas/carga/preparar.py, in the file named by CARGA_DATOS.
"""

from __future__ import annotations

import json
import os
import random
from pathlib import Path

from locust import HttpUser, constant, task

DATOS = json.loads(Path(os.environ["CARGA_DATOS"]).read_text(encoding="utf-8"))
# As nginx forwards a request after TLS (config/settings/production.py trusts X-Forwarded-Proto).
CABECERAS = {"X-Forwarded-Proto": "https"}


class Visitante(HttpUser):
    abstract = True
    wait_time = constant(0)

    def pedir(self, url: str, nombre: str) -> None:
        with self.client.get(url, name=nombre, headers=CABECERAS, allow_redirects=False, catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"HTTP {r.status_code}")


class Dependencia(Visitante):
    weight = 5

    def on_start(self) -> None:
        self.datos = random.choice(DATOS["dependencias"])
        self.client.cookies.set("sessionid", self.datos["sesion"])

    @task(1)
    def inicio(self) -> None:
        self.pedir("/", "dependencia: inicio")

    @task(3)
    def aspecto(self) -> None:
        self.pedir(f"/aspectos/{random.choice(self.datos['aspectos'])}/", "dependencia: aspecto")


class Contraloria(Visitante):
    weight = 2

    def on_start(self) -> None:
        self.client.cookies.set("sessionid", random.choice(DATOS["contralorias"]))

    @task
    def tablero(self) -> None:
        self.pedir("/tablero/", "contraloría: tablero")


class Publico(Visitante):
    weight = 3

    @task(1)
    def portal(self) -> None:
        self.pedir("/transparencia/", "público: portal")

    @task(1)
    def municipio(self) -> None:
        self.pedir(f"/transparencia/municipios/{random.choice(DATOS['municipios'])}/", "público: municipio")

    @task(2)
    def convenio(self) -> None:
        self.pedir(f"/transparencia/convenios/{random.choice(DATOS['convenios'])}/", "público: convenio")
