import {describe, expect, it} from '@jest/globals';

import {ENGINES} from '../../../src/db/engines.js';
import {renderDatabase} from '../../../src/db/render.js';
import {checkSchedule, renderScheduledBackup, toSixFieldSchedule} from '../../../src/db/schedule.js';

type Json = Record<string, any>;

describe('backup schedules', () => {
  it('takes five-field cron schedules and macros, checking each field\'s range', () => {
    expect(checkSchedule('0  2 * *   *')).toBe('0 2 * * *');
    expect(checkSchedule('*/15 1-5 1,15 jan-jun mon-fri')).toBe('*/15 1-5 1,15 jan-jun mon-fri');
    expect(checkSchedule('@Daily')).toBe('@daily');
    expect(() => checkSchedule('0 2 * *')).toThrow('has 4 fields; a cron schedule has five');
    expect(() => checkSchedule('0 24 * * *')).toThrow('"24" is not a valid hour (0-23');
    expect(() => checkSchedule('0 2 * * 8')).toThrow('"8" is not a valid day of week');
    expect(() => checkSchedule('*/0 2 * * *')).toThrow('"*/0" is not a valid minute');
    expect(() => checkSchedule('5-1 2 * * *')).toThrow('"5-1" is not a valid minute');
  });

  it('converts to CloudNativePG\'s six fields, seconds first', () => {
    expect(toSixFieldSchedule('0 2 * * *')).toBe('0 0 2 * * *');
    expect(toSixFieldSchedule('@daily')).toBe('@daily');
    expect(renderScheduledBackup({name: 'orders', namespace: 'shop-prod', labels: {}, backup: {schedule: '30 1 * * sun', keep: 7}}).spec).toEqual({schedule: '0 30 1 * * sun', cluster: {name: 'orders'}, backupOwnerReference: 'self', method: 'volumeSnapshot'});
  });

  it('renders a CronJob that dumps through the client Service with the Secret by reference, onto a backups claim, keeping N', async () => {
    const objects = await renderDatabase({
      name: 'orders',
      namespace: 'shop-dev',
      engine: ENGINES.postgresql,
      version: '16',
      env: 'dev',
      platform: 'kubernetes',
      haEnvironments: [],
      credentials: {username: 'orders', password: 'p4ssw0rd', dbname: 'orders'},
      size: '5Gi',
      backup: {schedule: '0 2 * * *', keep: 3},
    });
    const cronJob = objects.find((object) => object.kind === 'CronJob') as Json;
    const claim = objects.find((object) => object.kind === 'PersistentVolumeClaim') as Json;
    expect(claim.metadata.name).toBe('orders-backups');
    expect(claim.spec.resources.requests.storage).toBe('5Gi');
    expect(cronJob.spec).toMatchObject({schedule: '0 2 * * *', concurrencyPolicy: 'Forbid'});
    const pod = cronJob.spec.jobTemplate.spec.template.spec;
    const container = pod.containers[0];
    expect(container.image).toBe((objects.find((object) => object.kind === 'StatefulSet') as Json).spec.template.spec.containers[0].image);
    expect(container.env).toEqual([
      {name: 'DB_HOST', value: 'orders'},
      {name: 'DB_PORT', value: '5432'},
      {name: 'DB_USER', valueFrom: {secretKeyRef: {name: 'orders', key: 'username'}}},
      {name: 'DB_NAME', valueFrom: {secretKeyRef: {name: 'orders', key: 'dbname'}}},
      {name: 'PGPASSWORD', valueFrom: {secretKeyRef: {name: 'orders', key: 'password'}}},
    ]);
    expect(container.command[2]).toContain('pg_dump --format=custom -h "$DB_HOST"');
    expect(container.command[2]).toContain('tail -n +4');
    expect(JSON.stringify(cronJob)).not.toContain('p4ssw0rd');
    expect(container.securityContext).toMatchObject({allowPrivilegeEscalation: false, runAsNonRoot: true});
    expect(pod.securityContext.runAsUser).toBeDefined();
  });
});
