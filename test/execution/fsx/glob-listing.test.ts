import { describe, expect, it } from 'vitest'
import type { FileSystem } from '../../../types/execution'
import { BACKENDS, openFs } from './backends'

async function seedProject(fs: FileSystem): Promise<void> {
  for (const path of ['/README.md', '/src/index.ts', '/src/util.ts', '/src/lib/deep.ts', '/src/lib/notes.md', '/src/.env', '/.git/config', '/docs/a.md', '/docs/b.md', '/docs/c.txt']) {
    await fs.write(path, path, { parents: true })
  }
  await fs.mkdir('/src/empty')
}

describe.each(BACKENDS)('fsx %s: glob', (backend) => {
  it('matches files and directories, sorted, as absolute paths inside the root', async () => {
    const fs = openFs(backend)
    await seedProject(fs)
    expect(await fs.glob('**/*.ts')).toEqual(['/src/index.ts', '/src/lib/deep.ts', '/src/util.ts'])
    expect(await fs.glob('/src/*')).toEqual(['/src/empty', '/src/index.ts', '/src/lib', '/src/util.ts'])
    expect(await fs.glob('/docs/[ab].md')).toEqual(['/docs/a.md', '/docs/b.md'])
    expect(await fs.glob('/docs/*.{md,txt}')).toEqual(['/docs/a.md', '/docs/b.md', '/docs/c.txt'])
    expect(await fs.glob('/**/*.md')).toEqual(['/README.md', '/docs/a.md', '/docs/b.md', '/src/lib/notes.md'])
    expect(await fs.glob('/nothing/**')).toEqual([])
  })

  it('hides dotfiles from wildcards unless the pattern names the dot', async () => {
    const fs = openFs(backend)
    await seedProject(fs)
    expect(await fs.glob('/**/config')).toEqual([])
    expect(await fs.glob('/.git/*')).toEqual(['/.git/config'])
    expect(await fs.glob('/src/.*')).toEqual(['/src/.env'])
  })

  it('resolves relative patterns against cwd and checks literal patterns by existence', async () => {
    const fs = openFs(backend)
    await seedProject(fs)
    expect(await fs.glob('*.md', { cwd: '/docs' })).toEqual(['/docs/a.md', '/docs/b.md'])
    expect(await fs.glob('../README.md', { cwd: '/docs' })).toEqual(['/README.md'])
    expect(await fs.glob('{a,z,b}.md', { cwd: 'docs' })).toEqual(['/docs/a.md', '/docs/b.md'])
    expect(await fs.glob('/src/empty')).toEqual(['/src/empty'])
  })
})
