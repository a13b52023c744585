export function startServers(): Promise<{ url: string; fakeUrl: string; database: string; stop: () => Promise<void> }>;
