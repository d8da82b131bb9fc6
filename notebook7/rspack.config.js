// Build: the application bundle into build/, plus (through @jupyter/builder) build/style.js
// importing every plugin package's CSS, the plugins' settings schemas into build/schemas and
// the theme CSS into build/themes, which app.py serves. As jupyterlab/rspack.config.js.
const path = require('path');
const rspack = require('@rspack/core');
const svgToDataURI = require('mini-svg-data-uri');
const { Build } = require('@jupyter/builder');
const pkg = require('./package.json');

const out = path.join(__dirname, 'build');
const assets = Build.ensureAssets({ packageNames: pkg.jupyterlab.extensions, output: out });

const svgVersion = /\.svg(\?v=\d+\.\d+\.\d+)?$/;
const font = ext => ({ test: new RegExp(`\\.${ext}(\\?v=\\d+\\.\\d+\\.\\d+)?$`), type: 'asset' });

const app = {
  mode: 'production',
  devtool: false,
  bail: true,
  entry: './index.js',
  output: { path: out, filename: 'bundle.js', publicPath: 'auto' },
  module: {
    rules: [
      // Some dependencies are ES modules importing without file extensions.
      { test: /\.[cm]?js$/, resolve: { fullySpecified: false } },
      { test: /\.raw\.css$/, type: 'asset/source' },
      { test: /(?<!\.raw)\.css$/, use: ['style-loader', 'css-loader'] },
      { test: /\.(md|txt)$/, type: 'asset/source' },
      { test: /\.(html|png|jpg|gif|eot)$/, type: 'asset/resource' },
      font('woff2'),
      font('woff'),
      font('ttf'),
      // Icons: data URIs inside CSS, raw SVG text inside JavaScript.
      {
        test: svgVersion,
        issuer: /\.css$/,
        type: 'asset/inline',
        generator: { dataUrl: { content: c => svgToDataURI(c.content), mimetype: 'image/svg+xml' } }
      },
      { test: svgVersion, issuer: /\.js$/, type: 'asset/source' }
    ]
  },
  resolve: { fallback: { path: false, url: false, process: false, util: false } },
  plugins: [new rspack.DefinePlugin({ process: { cwd: () => '/', env: {} } })],
  performance: { hints: false }
};

module.exports = [app, ...assets];
