export function startServers(extraArgs?: string[]): Promise<{ url: string; fakeUrl: string; database: string; stop: () => Promise<void> }>;
