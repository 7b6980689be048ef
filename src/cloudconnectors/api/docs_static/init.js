// Starts Swagger UI on /api/docs. A file of our own rather than an inline script, so the
// page runs under the same Content-Security-Policy as the portal (script-src 'self').
"use strict";
window.addEventListener("DOMContentLoaded", function () {
  window.ui = SwaggerUIBundle({
    url: "/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    validatorUrl: null, // the online validator would send the document off this host
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
  });
});
