// Stands in for the wsl-utils package in the bundle (scripts/bundle.ts). oclif asks it at every
// start whether it runs under WSL (the platform `gshift --version` prints), and the package loads
// five modules to answer: about 6 ms of every command. This answers with the same checks as its
// is-wsl (a Microsoft kernel, outside a container), and loads the package itself only for what
// else oclif may ask, the PowerShell path (on Windows and WSL only).
import {existsSync, readFileSync} from 'node:fs';
import {release} from 'node:os';

const read = (path: string) => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
};

/** A container (Podman's marker, Docker's, or a Docker cgroup): WSL's kernel there is not WSL. */
const insideContainer = () => existsSync('/run/.containerenv') || existsSync('/.dockerenv') || read('/proc/self/cgroup').includes('docker');

function detectWsl(): boolean {
  if (process.platform !== 'linux') return false;
  const microsoftKernel = release().toLowerCase().includes('microsoft') || read('/proc/version').toLowerCase().includes('microsoft') || existsSync('/proc/sys/fs/binfmt_misc/WSLInterop') || existsSync('/run/WSL');
  return microsoftKernel && !insideContainer();
}

export const isWsl = detectWsl();

/** The package's own answer. */
export async function powerShellPath(): Promise<string> {
  const real = (await import('wsl-utils')) as {powerShellPath: () => Promise<string>};
  return real.powerShellPath();
}
