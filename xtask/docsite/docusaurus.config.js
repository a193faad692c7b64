// The docs folder comes from DOCS_DIR (cargo xtask docs sets it): generated/docs, or any generated crate's.
const docsDir = process.env.DOCS_DIR;
if (!docsDir) {
  throw new Error('DOCS_DIR must name the docs folder to build (cargo xtask docs sets it)');
}

module.exports = {
  title: 'Generated SDK docs',
  url: 'http://localhost',
  baseUrl: '/',
  onBrokenLinks: 'throw',
  onBrokenAnchors: 'throw',
  markdown: { hooks: { onBrokenMarkdownLinks: 'throw' } },
  presets: [
    [
      'classic',
      {
        docs: { path: docsDir, routeBasePath: '/', sidebarPath: undefined },
        blog: false,
        theme: {},
      },
    ],
  ],
};
