/** Matches requests to the manifest's operations; knows the methods of each path (for 405/Allow). */
import type { Manifest, ManifestOperation } from '../spec/manifest-types.js';

interface Route {
  template: string;
  pattern: RegExp;
  parameterNames: string[];
  operations: Map<string, ManifestOperation>;
}

export type RouteMatch =
  | { kind: 'operation'; operation: ManifestOperation; pathParams: Record<string, string> }
  | { kind: 'method-not-allowed'; allow: string[]; template: string }
  | { kind: 'not-found' };

export class Router {
  private readonly routes: Route[];

  constructor(manifest: Manifest) {
    const byTemplate = new Map<string, Route>();
    for (const operation of manifest.operations) {
      let route = byTemplate.get(operation.path);
      if (!route) {
        const parameterNames: string[] = [];
        const source = operation.path
          .split('/')
          .map((segment) => {
            const name = /^\{(.+)\}$/.exec(segment)?.[1];
            if (!name) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
            parameterNames.push(name);
            return '([^/]+)';
          })
          .join('/');
        route = { template: operation.path, pattern: new RegExp(`^${source}/?$`), parameterNames, operations: new Map() };
        byTemplate.set(operation.path, route);
      }
      route.operations.set(operation.method, operation);
    }
    // Literal segments before parameters: /valuations/current must win over /valuations/{x}.
    this.routes = [...byTemplate.values()].sort((a, b) => a.parameterNames.length - b.parameterNames.length);
  }

  match(method: string, path: string): RouteMatch {
    for (const route of this.routes) {
      const m = route.pattern.exec(path);
      if (!m) continue;
      const pathParams: Record<string, string> = {};
      route.parameterNames.forEach((name, i) => {
        try {
          pathParams[name] = decodeURIComponent(m[i + 1]);
        } catch {
          pathParams[name] = m[i + 1];
        }
      });
      const operation = route.operations.get(method.toUpperCase());
      if (operation) return { kind: 'operation', operation, pathParams };
      return { kind: 'method-not-allowed', allow: [...route.operations.keys()], template: route.template };
    }
    return { kind: 'not-found' };
  }
}
