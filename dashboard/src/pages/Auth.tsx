import { login, register, type User } from "../api/client";
import { Link, useQueryParam } from "../router";
import { ErrorBanner, Field, useForm } from "../ui";

export function Login({ onDone }: { onDone: (u: User) => void }) {
  const f = useForm({ email: "", password: "" });
  return (
    <div class="auth">
      <form class="card" onSubmit={(e) => f.submit(e, async (v) => onDone(await login(v.email, v.password)))}>
        <h1>Sign in to Iron Cage</h1>
        <ErrorBanner error={f.formError} />
        <Field label="Email" name="email" type="email" autoComplete="username" required value={f.values.email} onInput={f.set("email")} error={f.errors.email} />
        <Field label="Password" name="password" type="password" autoComplete="current-password" required value={f.values.password} onInput={f.set("password")} error={f.errors.password} />
        <button type="submit" disabled={f.busy}>
          {f.busy ? "Signing in…" : "Sign in"}
        </button>
        <p class="muted">
          First time here? <Link href="/register">Create the first admin account</Link> or accept an invitation.
        </p>
      </form>
    </div>
  );
}

export function Register({ onDone }: { onDone: (u: User) => void }) {
  const invite = useQueryParam("invite") ?? "";
  const f = useForm({ name: "", email: "", password: "", invitation_token: invite });
  return (
    <div class="auth">
      <form
        class="card"
        onSubmit={(e) =>
          f.submit(
            e,
            async (v) =>
              onDone(
                await register({
                  name: v.name,
                  email: v.email,
                  password: v.password,
                  invitation_token: v.invitation_token.trim() || null,
                }),
              ),
            (code) => (code === "FORBIDDEN" ? "invitation_token" : code === "CONFLICT" ? "email" : null),
          )
        }
      >
        <h1>Create your account</h1>
        <p class="muted">The first account on a new server becomes its admin. Everyone else needs an invitation from an admin.</p>
        <ErrorBanner error={f.formError} />
        <Field label="Name" name="name" required autoComplete="name" value={f.values.name} onInput={f.set("name")} error={f.errors.name} />
        <Field label="Email" name="email" type="email" required autoComplete="username" value={f.values.email} onInput={f.set("email")} error={f.errors.email} />
        <Field label="Password" name="password" type="password" required autoComplete="new-password" value={f.values.password} onInput={f.set("password")} error={f.errors.password} hint="At least 10 characters." />
        <Field label="Invitation token (not needed for the first admin)" name="invitation_token" value={f.values.invitation_token} onInput={f.set("invitation_token")} error={f.errors.invitation_token} />
        <button type="submit" disabled={f.busy}>
          {f.busy ? "Creating…" : "Create account"}
        </button>
        <p class="muted">
          Already have an account? <Link href="/login">Sign in</Link>
        </p>
      </form>
    </div>
  );
}
