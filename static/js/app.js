// A second click on a form's button while the first submission is travelling would
// send it twice; the server refuses the repeat anyway, this spares the user the message.
document.addEventListener("submit", function (evento) {
  var formulario = evento.target;
  if (formulario.dataset.enviado === "1") {
    evento.preventDefault();
    return;
  }
  formulario.dataset.enviado = "1";
  formulario.querySelectorAll("button[type=submit]").forEach(function (boton) {
    boton.setAttribute("aria-disabled", "true");
    boton.classList.add("disabled");
  });
});

// Coming back with the browser's "back" button restores the page as it was: re-enable it.
window.addEventListener("pageshow", function () {
  document.querySelectorAll("form[data-enviado]").forEach(function (formulario) {
    delete formulario.dataset.enviado;
    formulario.querySelectorAll("button[type=submit]").forEach(function (boton) {
      boton.removeAttribute("aria-disabled");
      boton.classList.remove("disabled");
    });
  });
});

// The page has JavaScript: Bootstrap's collapse and dropdown take over from the open fallback (app.css).
document.documentElement.classList.remove("sin-js");

// On a phone app.css shows each table row as a card; each cell names its column, taken from the
// header, and keeps its table role for screen readers (display: block drops it in some browsers).
document.querySelectorAll("main table.table").forEach(function (tabla) {
  var encabezados = Array.prototype.map.call(tabla.querySelectorAll("thead th"), function (th) {
    return th.textContent.trim();
  });
  tabla.setAttribute("role", "table");
  tabla.querySelectorAll("thead, tbody").forEach(function (grupo) { grupo.setAttribute("role", "rowgroup"); });
  tabla.querySelectorAll("tr").forEach(function (fila) { fila.setAttribute("role", "row"); });
  tabla.querySelectorAll("thead th").forEach(function (th) { th.setAttribute("role", "columnheader"); });
  tabla.querySelectorAll("tbody tr").forEach(function (fila) {
    var columna = 0;
    Array.prototype.forEach.call(fila.children, function (celda) {
      celda.setAttribute("role", celda.tagName === "TH" ? "rowheader" : "cell");
      var abarca = celda.colSpan || 1;
      if (abarca === 1 && encabezados[columna]) {
        celda.dataset.etiqueta = encabezados[columna];
      }
      columna += abarca;
    });
  });
});

// A page that comes back with a form's errors: the focus goes to their summary (templates/bootstrap5/
// errors.html), so a keyboard or screen-reader user hears them instead of starting over from the top.
var resumenDeErrores = document.querySelector(".resumen-errores");
if (resumenDeErrores) {
  resumenDeErrores.focus();
}

// A date or time field is drawn by the browser in the browser's own language: one set to English shows
// "mm/dd/yyyy", English month names and AM/PM. Under each field the page says the chosen value in the
// page's language ("martes, 15 de diciembre de 2026"); the field names it as its description, and a
// screen reader hears it again when it changes.
var idiomaDeLaPagina = document.documentElement.lang || "es-MX";
var formatos = {
  date: new Intl.DateTimeFormat(idiomaDeLaPagina, {
    weekday: "long", day: "numeric", month: "long", year: "numeric", timeZone: "UTC"
  }),
  time: new Intl.DateTimeFormat(idiomaDeLaPagina, {hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: "UTC"})
};
document.querySelectorAll("main input[type=date], main input[type=time]").forEach(function (campo, indice) {
  var lectura = document.createElement("span");
  lectura.className = "form-text d-block valor-en-palabras";
  lectura.id = (campo.id || "campo-" + indice) + "-en-palabras";
  lectura.setAttribute("aria-live", "polite");
  campo.insertAdjacentElement("afterend", lectura);
  var descripcion = campo.getAttribute("aria-describedby");
  campo.setAttribute("aria-describedby", descripcion ? descripcion + " " + lectura.id : lectura.id);
  function mostrar() {
    var valor = campo.value;
    if (!valor) {
      lectura.textContent = "";
    } else if (campo.type === "date") {
      lectura.textContent = formatos.date.format(new Date(valor + "T00:00:00Z"));
    } else {
      lectura.textContent = formatos.time.format(new Date("1970-01-01T" + valor + "Z"));
    }
  }
  campo.addEventListener("input", mostrar);
  campo.addEventListener("change", mostrar);
  mostrar();
});
