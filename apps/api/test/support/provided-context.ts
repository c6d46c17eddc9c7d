// What test/global-setup.ts provides to every test file through vitest's inject().
declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
    redisUrl: string;
    control: { url: string; token: string };
  }
}

export {};
