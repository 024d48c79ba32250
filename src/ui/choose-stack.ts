/**
 * --stack when given; on a terminal, a choice from the app stacks this project can use (its own
 * template directories first); anywhere else, an error naming --stack and listing them. Database
 * stacks are not offered: databases are made by `gshift db create`.
 */
export async function stackOrAsk(stack: string | undefined, templateDirs: readonly string[]): Promise<string> {
  if (stack) return stack;
  const [{askFor}, {listStackEntries, loadStackEntry}] = await Promise.all([import('./prompt.js'), import('../render/catalogue.js')]);
  const entries = listStackEntries(templateDirs);
  // A stack that does not load is still offered: choosing it shows what is wrong with it.
  const loaded = await Promise.allSettled(entries.map((entry) => loadStackEntry(entry)));
  const apps = entries.filter((_, index) => {
    const result = loaded[index]!;
    return result.status === 'rejected' || result.value.descriptor.kind === 'app';
  });
  return askFor('stack', 'Which stack?', apps.map((entry) => entry.name));
}
