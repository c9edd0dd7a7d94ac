// Renders /openapi.json with Swagger UI. Every operation listed (not collapsed) so the page is a
// complete reference at a glance; no validator badge, which would call a third-party host.
window.ui = SwaggerUIBundle({
  url: '/openapi.json',
  dom_id: '#reference',
  docExpansion: 'list',
  deepLinking: true,
  validatorUrl: null,
  displayOperationId: true,
});
