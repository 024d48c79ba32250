/**
 * --stack when given; on a terminal, a choice from the stacks this project can use (its own
 * template directories first); anywhere else, an error naming --stack and listing them.
 */
export async function stackOrAsk(stack: string | undefined): Promise<string> {
  if (stack) return stack;
  const [{askFor}, {loadConfig}, {listStackEntries}] = await Promise.all([
    import('./prompt.js'),
    import('../config/load.js'),
    import('../render/catalogue.js'),
  ]);
  const names = listStackEntries((await loadConfig()).values.templateDirs).map((entry) => entry.name);
  return askFor('stack', 'Which stack?', names);
}
