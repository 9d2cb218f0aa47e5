/**
 * Hand-written accessibility checks run inside the page (no axe): every form
 * control has a label, every button and link has a name, every chart has a
 * text alternative, and text contrast is at least 4.5:1 (WCAG AA, normal text)
 * against the nearest opaque background.
 */

/** Answers a list of problems found on the current page (empty when it passes). */
export function accessibilityProblems(page) {
  return page.evaluate(() => {
    const problems = []
    const visible = (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden'
    const nameOf = (el) =>
      (el.getAttribute('aria-label') ?? '').trim() ||
      (el.id && [...document.querySelectorAll('label')].find((l) => l.htmlFor === el.id)?.textContent?.trim()) ||
      el.closest('label')?.textContent?.trim() ||
      ''
    for (const el of document.querySelectorAll('input, select, textarea')) {
      if (visible(el) && !nameOf(el)) problems.push(`unlabelled ${el.tagName.toLowerCase()}#${el.id || '?'}`)
    }
    for (const el of document.querySelectorAll('button, a[href]')) {
      if (visible(el) && !(el.textContent?.trim() || el.getAttribute('aria-label'))) problems.push(`nameless ${el.tagName.toLowerCase()}`)
    }
    for (const el of document.querySelectorAll('canvas')) {
      if (!el.closest('[role="img"][aria-label]')) problems.push('chart canvas without role=img and aria-label')
    }
    if (document.documentElement.lang === '') problems.push('html without lang')
    if (!document.querySelector('h1')) problems.push('no h1')

    const parse = (color) => {
      const m = color.match(/rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)/)
      return m ? { r: +m[1], g: +m[2], b: +m[3], a: m[4] === undefined ? 1 : +m[4] } : undefined
    }
    const luminance = ({ r, g, b }) => {
      const lin = (v) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4)
      return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
    }
    const background = (el) => {
      for (let node = el; node; node = node.parentElement) {
        const bg = parse(getComputedStyle(node).backgroundColor)
        if (bg && bg.a >= 0.99) return bg
      }
      return { r: 255, g: 255, b: 255, a: 1 }
    }
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT)
    const seen = new Set()
    for (let text = walker.nextNode(); text; text = walker.nextNode()) {
      const el = text.parentElement
      if (!el || seen.has(el) || !text.textContent.trim() || !visible(el) || el.closest('.uplot .u-legend, option')) continue
      seen.add(el)
      const fg = parse(getComputedStyle(el).color)
      if (!fg) continue
      const [l1, l2] = [luminance(fg), luminance(background(el))].sort((a, b) => b - a)
      const ratio = (l1 + 0.05) / (l2 + 0.05)
      if (ratio < 4.5) problems.push(`contrast ${ratio.toFixed(2)} < 4.5 for "${text.textContent.trim().slice(0, 30)}" (${el.tagName.toLowerCase()}.${el.className})`)
    }
    return problems
  })
}
