"""Every page names the site's icon, and the address browsers ask on their own leads to it."""

from __future__ import annotations

from django.templatetags.static import static


def test_el_icono_del_sitio(client, db):
    respuesta = client.get("/favicon.ico")
    assert respuesta.status_code == 301
    assert respuesta["Location"] == static("favicon.svg")
    for ruta in ("/accounts/login/", "/transparencia/", "/api/v1/documentacion/", "/admin/login/"):
        assert f'rel="icon" href="{static("favicon.svg")}"' in client.get(ruta).content.decode(), ruta
