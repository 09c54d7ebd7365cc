# licensedesk: the desk's workers and console. Redis, IMAP and SMTP are
# external services; qpdf decrypts owner-password-only PDFs for the reader.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends qpdf && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production LICENSEDESK_HTTP_HOST=0.0.0.0
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/bin ./bin
COPY --from=build /app/templates ./templates
# The Lua scripts are read from the package root at run time, like templates/.
COPY --from=build /app/store/lua ./store/lua
COPY --from=build /app/package.json ./package.json
USER node
EXPOSE 8080
ENTRYPOINT ["node", "bin/licensedesk.js"]
CMD ["start"]
