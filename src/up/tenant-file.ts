/**
 * gshift.yaml as data (apiVersion gshift.io/v1alpha1, kind Tenant), once file.ts has checked it
 * against schema/gshift.schema.json: a tenant, its environments, apps, databases, certificates.
 */
/** An app's fields that an environment may override. */
export interface AppFields {
  image?: string;
  replicas?: number;
  autoscaling?: {min: number; max: number; cpu?: number; memory?: number};
  env?: Record<string, string>;
  secretEnv?: Record<string, SecretReference>;
  host?: string;
  storage?: string;
  port?: number;
  params?: Record<string, string>;
  /** Attached databases; an environment's list replaces the app's. */
  databases?: DatabaseReference[];
}

/** A variable taken from a key of a Secret in the namespace (secretKeyRef). */
export interface SecretReference {
  secret: string;
  key: string;
}

/** A database attached to an app: by name, or with the variables' prefix. */
export type DatabaseReference = string | {name: string; prefix?: string};

export interface AppEntry extends AppFields {
  name: string;
  stack: string;
  environments?: string[];
}

/** A database's fields that an environment may override. */
export interface DatabaseFields {
  version?: string;
  size?: string;
  storageClass?: string;
  ha?: boolean;
  backup?: {schedule: string; keep?: number};
}

export interface DatabaseEntry extends DatabaseFields {
  name: string;
  engine: string;
  environments?: string[];
}

export interface EnvironmentEntry {
  name: string;
  ha?: boolean;
  quota?: string;
  apps?: Record<string, AppFields>;
  databases?: Record<string, DatabaseFields>;
}

/** A certificate on an app's Route or Ingress: from files (paths relative to gshift.yaml) or issued by cert-manager. */
export interface CertificateEntry {
  name: string;
  app: string;
  /** The host it is for: the app's where it has one (then they must match), else it becomes the app's. */
  host?: string;
  /** Only in these environments (default: every environment its app runs in). */
  environments?: string[];
  files?: {cert: string; key: string; ca?: string};
  issuer?: string;
  clusterIssuer?: string;
}

export interface TenantFile {
  apiVersion: 'gshift.io/v1alpha1';
  kind: 'Tenant';
  metadata: {name: string};
  spec: {
    quota?: string;
    groups?: {admins?: string[]; developers?: string[]; viewers?: string[]};
    ciAccount?: boolean;
    environments: EnvironmentEntry[];
    apps?: AppEntry[];
    databases?: DatabaseEntry[];
    certificates?: CertificateEntry[];
  };
}

/** The name of the database a reference names. */
export const referencedDatabase = (reference: DatabaseReference | undefined): string | undefined =>
  typeof reference === 'string' ? reference : typeof reference?.name === 'string' ? reference.name : undefined;
