const http = require("node:http");
http.createServer((_, res) => res.end("orders web v1\n")).listen(process.env.PORT || 8080);
