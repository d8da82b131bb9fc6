// Package notebooks holds the end-to-end tests of the example notebooks (../notebooks): each
// runs against a fresh cartotest stand-in, through a real GoNB kernel over ZeroMQ (package
// kernel) or through Jupyter Notebook and headless Chromium (package browser).
//
// The tests run one at a time: the notebooks' one-click login listens on localhost:10000.
package notebooks
