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
