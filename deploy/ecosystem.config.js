// pm2 ecosystem file for ptn-serve, the same habit as the seed's `pm2 start serve.py --name serve`.
// From the ptn-serve checkout, after `swift build -c release`:
//   pm2 start deploy/ecosystem.config.js && pm2 save
//   pm2 logs serve
// Paths are relative to this checkout; edit `args` or deploy/config.example.yaml for your validator's location.
module.exports = {
  apps: [
    {
      name: "serve",
      script: ".build/release/ptn-serve",
      args: "serve --config deploy/config.example.yaml",
      cwd: __dirname + "/..",
      // A native binary, not a Node script.
      interpreter: "none",
      autorestart: true,
      restart_delay: 2000,
      // pm2 sends SIGINT, then SIGKILL after this many ms; ptn-serve drains in-flight requests on SIGINT.
      kill_timeout: 15000,
      env: {
        // Any PTN_SERVE_* variable overrides the config file, e.g.:
        // PTN_SERVE_LOG_FORMAT: "json",
      },
    },
  ],
};
