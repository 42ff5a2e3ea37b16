// The API docs page (/api/docs): Swagger UI from node_modules reads the OpenAPI document whose
// URL the page gives in data-spec. No validator badge (it would load an image from elsewhere).
const root = document.getElementById("swagger-ui");
window.SwaggerUIBundle({
  url: root.dataset.spec,
  domNode: root,
  validatorUrl: null,
  deepLinking: false,
  docExpansion: "list",
  defaultModelsExpandDepth: 0,
  presets: [window.SwaggerUIBundle.presets.apis],
  layout: "BaseLayout",
});
