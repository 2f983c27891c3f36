export { bearerToken, requireScope } from './auth';
export { MAX_BODY_BYTES, readJson, readText } from './body';
export { ifNoneMatch } from './etag';
export { answeringHead } from './head';
export { health } from './health';
export { missingRoute } from './missing';
export { openApiDocument, type RouteDoc } from './openApi';
export { RequestError } from './requestError';
export { problemFor, toProblem, zodIssues } from './toProblem';
