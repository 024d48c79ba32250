import {describe, expect, it} from '@jest/globals';

import {resolveEnvironments} from '../../../src/up/environments.ts';
import {dependantsOf, planUp} from '../../../src/up/plan.ts';
import {runSteps} from '../../../src/up/schedule.ts';
import type {TenantFile} from '../../../src/up/tenant-file.ts';

const file: TenantFile = {
  apiVersion: 'gshift.io/v1alpha1',
  kind: 'Tenant',
  metadata: {name: 'shop'},
  spec: {
    environments: [{name: 'dev'}, {name: 'prod', apps: {web: {replicas: 3, env: {LOG_LEVEL: 'warn'}}}, databases: {orders: {size: '50Gi'}}}],
    apps: [
      {name: 'web', stack: 'nodejs', env: {LOG_LEVEL: 'info', REGION: 'eu'}, databases: ['orders']},
      {name: 'api', stack: 'java', environments: ['dev'], databases: ['orders', {name: 'cache', prefix: 'CACHE'}]},
    ],
    databases: [{name: 'orders', engine: 'postgresql', size: '10Gi'}, {name: 'cache', engine: 'redis', environments: ['dev']}],
  },
};

describe('the environments of a file', () => {
  it('lays an environment\'s overrides over the fields, merging maps key by key', () => {
    const [dev, prod] = resolveEnvironments(file, ['prod']);
    expect(dev).toMatchObject({name: 'dev', namespace: 'shop-dev', ha: false});
    expect(prod!.ha).toBe(true);
    expect(prod!.apps.find((app) => app.name === 'web')!.fields).toEqual({replicas: 3, env: {LOG_LEVEL: 'warn', REGION: 'eu'}});
    expect(prod!.databases.map((database) => [database.name, database.fields.size])).toEqual([['orders', '50Gi']]);
  });

  it('keeps an app or database to the environments it names', () => {
    const [dev, prod] = resolveEnvironments(file, []);
    expect(dev!.apps.map((app) => app.name)).toEqual(['web', 'api']);
    expect(prod!.apps.map((app) => app.name)).toEqual(['web']);
    expect(prod!.databases.map((database) => database.name)).toEqual(['orders']);
  });

  it('names the variables DATABASE_* for an only database, after each database when there are several, or as given', () => {
    const [dev] = resolveEnvironments(file, []);
    expect(dev!.apps.find((app) => app.name === 'web')!.databases).toEqual([{database: 'orders', prefix: 'DATABASE'}]);
    expect(dev!.apps.find((app) => app.name === 'api')!.databases).toEqual([{database: 'orders', prefix: 'ORDERS'}, {database: 'cache', prefix: 'CACHE'}]);
  });
});

describe('the plan of gshift up', () => {
  it('puts the namespace first, databases before the apps attached to them, and nothing between environments', () => {
    const plan = planUp(file, {haByDefault: ['prod']});
    const needs = Object.fromEntries(plan.steps.map((step) => [step.id, step.needs]));
    expect(needs).toEqual({
      'dev/environment/shop-dev': [],
      'dev/database/orders': ['dev/environment/shop-dev'],
      'dev/database/cache': ['dev/environment/shop-dev'],
      'dev/app/web': ['dev/environment/shop-dev', 'dev/database/orders'],
      'dev/app/api': ['dev/environment/shop-dev', 'dev/database/orders', 'dev/database/cache'],
      'prod/environment/shop-prod': [],
      'prod/database/orders': ['prod/environment/shop-prod'],
      'prod/app/web': ['prod/environment/shop-prod', 'prod/database/orders'],
    });
  });

  it('puts a certificate before the app it goes on; a database carries its HA and backups, an app its autoscaler', () => {
    const plan = planUp(
      {
        ...file,
        spec: {
          ...file.spec,
          apps: [{name: 'web', stack: 'nodejs', autoscaling: {min: 2, max: 5}}, {name: 'api', stack: 'java'}],
          databases: [{name: 'orders', engine: 'postgresql', ha: true, backup: {schedule: '0 2 * * *'}}],
          certificates: [{name: 'web-tls', app: 'web', host: 'shop.example.org', clusterIssuer: 'ca'}],
        },
      },
      {haByDefault: [], only: ['dev']},
    );
    expect(plan.steps.map((step) => [step.id, step.needs])).toEqual([
      ['dev/environment/shop-dev', []],
      ['dev/database/orders', ['dev/environment/shop-dev']],
      ['dev/certificate/web-tls', ['dev/environment/shop-dev']],
      ['dev/app/web', ['dev/environment/shop-dev', 'dev/certificate/web-tls']],
      ['dev/app/api', ['dev/environment/shop-dev']],
    ]);
  });

  it('gives a certificate to the environments it names, and its host to an app that has none', () => {
    const [dev, prod] = resolveEnvironments(
      {
        ...file,
        spec: {
          ...file.spec,
          apps: [{name: 'web', stack: 'nodejs'}, {name: 'api', stack: 'java', host: 'api.example.org'}],
          certificates: [
            {name: 'web-tls', app: 'web', host: 'shop.example.org', environments: ['prod'], clusterIssuer: 'ca'},
            {name: 'web-dev-tls', app: 'web', host: 'dev.shop.example.org', environments: ['dev'], issuer: 'dev-ca'},
            {name: 'api-tls', app: 'api', issuer: 'ca'},
          ],
        },
      },
      [],
    );
    const view = (environment: typeof dev) => environment!.apps.map((app) => [app.name, app.certificate, app.fields.host]);
    expect(view(dev)).toEqual([['web', 'web-dev-tls', 'dev.shop.example.org'], ['api', 'api-tls', 'api.example.org']]);
    expect(view(prod)).toEqual([['web', 'web-tls', 'shop.example.org'], ['api', 'api-tls', 'api.example.org']]);
    expect(prod!.certificates.map((certificate) => [certificate.name, certificate.host])).toEqual([['web-tls', 'shop.example.org'], ['api-tls', 'api.example.org']]);
  });

  it('plans only the environments asked for', () => {
    expect(planUp(file, {haByDefault: [], only: ['prod']}).steps.map((step) => step.env)).toEqual(['prod', 'prod', 'prod']);
  });

  it('finds the dependants of a step, directly or not', () => {
    const plan = planUp(file, {haByDefault: []});
    expect(dependantsOf(plan.steps, 'dev/database/orders').map((step) => step.id)).toEqual(['dev/app/web', 'dev/app/api']);
    expect(dependantsOf(plan.steps, 'prod/environment/shop-prod').map((step) => step.id)).toEqual(['prod/database/orders', 'prod/app/web']);
  });
});

describe('running the steps', () => {
  const plan = planUp(file, {haByDefault: []});

  it('runs every step after what it needs, handing it their results', async () => {
    const order: string[] = [];
    const outcomes = await runSteps(plan.steps, async (step, needed) => {
      order.push(step.id);
      for (const id of step.needs) expect(needed.get(id)).toBe(`result of ${id}`);
      return `result of ${step.id}`;
    }, {concurrency: 3});
    expect(outcomes.every((outcome) => outcome.status === 'done')).toBe(true);
    for (const step of plan.steps) for (const need of step.needs) expect(order.indexOf(need)).toBeLessThan(order.indexOf(step.id));
  });

  it('runs independent steps at the same time, never more than the limit', async () => {
    let running = 0;
    let most = 0;
    await runSteps(plan.steps, async () => {
      most = Math.max(most, ++running);
      await new Promise((resolve) => setTimeout(resolve, 5));
      running--;
    }, {concurrency: 2});
    expect(most).toBe(2);
  });

  it('starts both environments before any database, so every environment makes progress', async () => {
    const started: string[] = [];
    await runSteps(plan.steps, async (step) => void started.push(step.id), {concurrency: 2});
    expect(started.slice(0, 2)).toEqual(['dev/environment/shop-dev', 'prod/environment/shop-prod']);
  });

  it('does not run the dependants of a failed step, and says which failure stopped them', async () => {
    const outcomes = await runSteps(plan.steps, async (step) => {
      if (step.id === 'dev/database/orders') throw new Error('quota exceeded');
    }, {concurrency: 4});
    const status = Object.fromEntries(outcomes.map((outcome) => [outcome.step.id, [outcome.status, outcome.blockedBy]]));
    expect(status).toEqual({
      'dev/environment/shop-dev': ['done', undefined],
      'dev/database/orders': ['failed', undefined],
      'dev/database/cache': ['done', undefined],
      'dev/app/web': ['skipped', 'dev/database/orders'],
      'dev/app/api': ['skipped', 'dev/database/orders'],
      'prod/environment/shop-prod': ['done', undefined],
      'prod/database/orders': ['done', undefined],
      'prod/app/web': ['done', undefined],
    });
  });
});
