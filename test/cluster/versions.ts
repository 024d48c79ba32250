// The versions of the local control plane. Bump them together, then run
// `node test/cluster/sync-modules.ts` to regenerate and verify the wrapper modules.
//
// Kubernetes is the newest release that the newest kwok supports (kwok's
// supported_releases.txt), and etcd is the one that Kubernetes release pins in its
// go.mod and hack/lib/etcd.sh.
export const KUBERNETES_VERSION = 'v1.36.3';
export const ETCD_VERSION = 'v3.6.8';
export const KWOK_VERSION = 'v0.8.0';
