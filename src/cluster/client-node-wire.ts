// The wire for credentials only @kubernetes/client-node can produce: exec plugins (oc, cloud
// CLIs, OIDC helpers), auth providers and proxies. Loaded only when a kubeconfig needs it.
import {GshiftError, usageError} from '../errors.js';
import type {ResolvedKubeconfig} from './kubeconfig.js';
import {StreamConnections, type StreamLease} from './stream-connections.js';
import {awaitUpgrade} from './http1-wire.js';
import {plainHttpRefused, type Wire, type WireResponse} from './wire.js';

export async function clientNodeWire(resolved: ResolvedKubeconfig): Promise<Wire> {
  const {IsomorphicFetchHttpLibrary, KubeConfig, RequestContext} = await import('@kubernetes/client-node');
  const kubeconfig = new KubeConfig();
  kubeconfig.loadFromOptions({clusters: [resolved.cluster], users: [resolved.user], contexts: [resolved.context], currentContext: resolved.contextName});
  const http = new IsomorphicFetchHttpLibrary();
  let dispatcher: ReturnType<InstanceType<typeof RequestContext>['getDispatcher']>;
  // client-node's undici may speak HTTP/2: followed logs go on connections of their own.
  const streams = new StreamConnections();

  /**
   * Headers (tokens, exec plugin credentials) are applied to every request, since they may
   * expire; the TLS dispatcher is kept from the first request, because client-node builds a new
   * one — a new TLS handshake — for every call.
   */
  async function authenticate(context: InstanceType<typeof RequestContext>, ownConnection: boolean): Promise<StreamLease | undefined> {
    try {
      await kubeconfig.applySecurityAuthentication(context);
    } catch (error) {
      throw credentialError(error, resolved);
    }
    const fresh = context.getDispatcher();
    if (ownConnection && fresh !== undefined && fresh !== dispatcher) {
      const lease = streams.lease(fresh);
      context.setDispatcher(lease.dispatcher as NonNullable<typeof fresh>);
      return lease;
    }
    if (dispatcher === undefined) dispatcher = fresh;
    else if (fresh !== undefined) {
      context.setDispatcher(dispatcher);
      void (fresh as {close?: () => Promise<void>}).close?.();
    }
    return undefined;
  }

  return {
    async exchange(request): Promise<WireResponse> {
      const context = new RequestContext(request.url.toString(), request.method as never);
      for (const [name, value] of Object.entries(request.headers)) context.setHeaderParam(name, value);
      if (request.body !== undefined) context.setBody(request.body);
      if (request.signal) context.setSignal(request.signal);
      const lease = await authenticate(context, request.ownConnection ?? false);
      let response;
      try {
        response = await http.send(context).toPromise();
      } catch (error) {
        lease?.release();
        throw error;
      }
      return {
        status: response.httpStatusCode,
        headers: response.headers,
        text: () => response.body.text(),
        stream: () => response.body.stream(),
        release: () => lease?.release(),
        retire: () => lease?.retire(),
      };
    },
    async upgrade(request) {
      if (resolved.cluster.proxyUrl) throw usageError('gshift cannot open exec or port-forward connections through the proxy in this kubeconfig.', 'run the command from a machine that reaches the API server without a proxy.');
      const options: import('node:https').RequestOptions = {headers: {}};
      try {
        await kubeconfig.applyToHTTPSOptions(options);
      } catch (error) {
        throw credentialError(error, resolved);
      }
      const {request: send} = process.getBuiltinModule(request.url.protocol === 'http:' ? 'node:http' : 'node:https');
      return awaitUpgrade(send(request.url, {...options, method: 'GET', headers: {...(options.headers as Record<string, string>), ...request.headers}, signal: request.signal}));
    },
    async close() {
      // destroy, not close: close waits for requests in flight, such as a hung TLS handshake.
      const pooled = dispatcher as {destroy?: () => Promise<void>} | undefined;
      dispatcher = undefined;
      await Promise.all([pooled?.destroy?.(), streams.close()]);
    },
  };
}

/** Failures while gathering credentials: a missing file, an exec plugin that fails or is not installed. */
function credentialError(error: unknown, resolved: ResolvedKubeconfig): GshiftError {
  const user = resolved.user;
  const plugin = (user.exec as {command?: string} | undefined)?.command;
  const failure = error as NodeJS.ErrnoException;
  const reason = (failure?.message ?? String(error)).trim().split('\n')[0]?.slice(0, 200);
  if (plugin && failure?.code === 'ENOENT' && String(failure.syscall ?? '').startsWith('spawn')) {
    return new GshiftError('UNAUTHENTICATED', `The credential plugin "${plugin}" of kubeconfig user "${user.name}" is not installed or not on PATH.`, {
      hint: `install ${plugin}, or log in again to get a kubeconfig that works on this machine.`,
      cause: error,
    });
  }
  if (failure?.code === 'ENOENT' || failure?.code === 'EACCES') {
    return usageError(`A file named in kubeconfig user "${user.name}" or its cluster cannot be read: ${failure.path ?? reason}.`, 'fix the path in the kubeconfig, or log in again.');
  }
  if (/HTTP protocol is not allowed/.test(reason ?? '')) {
    return plainHttpRefused();
  }
  if (plugin) {
    return new GshiftError('UNAUTHENTICATED', `The credential plugin "${plugin}" of kubeconfig user "${user.name}" failed${reason ? `: ${reason}` : '.'}`, {
      hint: 'log in again (the plugin may need an interactive login first), or pick another context with --context.',
      cause: error,
    });
  }
  return new GshiftError('UNAUTHENTICATED', `The credentials of kubeconfig user "${user.name}" cannot be used: ${reason}`, {
    hint: 'log in again, or pick another context with --context.',
    cause: error,
  });
}
