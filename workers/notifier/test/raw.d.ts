// Vite's `?raw` imports give a file's text: tests check the code against its wrangler.toml.
declare module '*?raw' {
  const text: string;
  export default text;
}
