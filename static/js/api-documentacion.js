// Swagger UI names each operation's copy button «Copy path to clipboard» and each group's fold button
// «Collapse operation»: six buttons with one name, which a screen reader cannot tell apart (WCAG 2.1
// 2.4.6, 4.1.2). Each gets its own name, in Spanish, as Swagger draws them (and draws them again).
(() => {
  const raiz = document.getElementById("swagger-ui");
  const nombrar = (boton, nombre) => {
    if (boton.getAttribute("aria-label") !== nombre) {
      boton.setAttribute("aria-label", nombre);
      boton.setAttribute("title", nombre);
    }
  };
  const nombrarTodos = () => {
    for (const grupo of raiz.querySelectorAll(".opblock-tag[data-tag]")) {
      const boton = grupo.querySelector("button.expand-operation");
      if (boton) nombrar(boton, `Operaciones de ${grupo.dataset.tag}`);
    }
    for (const operacion of raiz.querySelectorAll(".opblock")) {
      const ruta = operacion.querySelector(".opblock-summary-path[data-path]");
      const metodo = operacion.querySelector(".opblock-summary-method");
      if (!ruta) continue;
      const cual = `${metodo ? metodo.textContent.trim() + " " : ""}${ruta.dataset.path}`;
      for (const copiar of operacion.querySelectorAll(".copy-to-clipboard, .copy-to-clipboard button")) {
        nombrar(copiar, `Copiar la ruta ${cual}`);
      }
    }
  };
  new MutationObserver(nombrarTodos).observe(raiz, { childList: true, subtree: true });
})();
