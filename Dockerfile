# licensedesk: the desk's workers and console. The PDF reader needs no system
# tools at run time; Redis, IMAP and SMTP are external services.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production LICENSEDESK_HTTP_HOST=0.0.0.0
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/bin ./bin
COPY --from=build /app/templates ./templates
COPY --from=build /app/package.json ./package.json
USER node
EXPOSE 8080
ENTRYPOINT ["node", "bin/licensedesk.js"]
CMD ["start"]
