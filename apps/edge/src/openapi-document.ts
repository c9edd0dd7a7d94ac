import document from './openapi.generated.json';

/** The document built from core's schemas by openapi.ts at build time (see there for why). */
export const OPENAPI_JSON: string = JSON.stringify(document);
