import { useContext, useState } from "preact/hooks";
import { all, del, post, put, type Schemas } from "../api/client";
import { Me } from "../App";
import { CopyButton, ErrorBanner, Field, Loaded, useAction, useForm, useResource, when } from "../ui";

type User = Schemas["UserView"];
type Invitation = Schemas["InvitationCreated"];

export function Users() {
  const me = useContext(Me);
  const users = useResource(() => all<User>("/users"));
  const act = useAction(users.reload);
  const [invited, setInvited] = useState<Invitation>();
  const f = useForm({ email: "", role: "developer" });
  const link = invited && `${location.origin}${import.meta.env.BASE_URL}register?invite=${encodeURIComponent(invited.invitation_token)}`;
  return (
    <section>
      <h1>Users</h1>
      <form
        class="card inline-form"
        aria-label="Invite a user"
        onSubmit={(e) =>
          f.submit(
            e,
            async (v) => {
              setInvited(await post<Invitation>("/invitations", { email: v.email, role: v.role }));
              f.reset();
            },
            (code) => (code === "CONFLICT" ? "email" : null),
          )
        }
      >
        <Field label="Invite by email" name="email" type="email" required value={f.values.email} onInput={f.set("email")} error={f.errors.email} />
        <Field label="Role" name="role">
          <select id="f-role" value={f.values.role} onChange={f.set("role")}>
            <option value="developer">Developer</option>
            <option value="admin">Admin</option>
          </select>
        </Field>
        <button type="submit" disabled={f.busy}>
          Invite
        </button>
        <ErrorBanner error={f.formError} />
      </form>
      {invited && link && (
        <div class="card secret" role="region" aria-label="Invitation">
          <p class="warning">
            Send this link to {invited.email}; it is shown only once and expires {when(invited.expires_at)}.
          </p>
          <div class="row">
            <code class="secret-value" data-testid="invite-link">
              {link}
            </code>
            <CopyButton text={link} label="Copy link" />
          </div>
        </div>
      )}
      <ErrorBanner error={act.error} />
      <Loaded r={users}>
        {(list) => (
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th>Name</th>
                  <th>Email</th>
                  <th>Role</th>
                  <th>Joined</th>
                  <th>Actions</th>
                </tr>
              </thead>
              <tbody>
                {list.map((u) => (
                  <tr data-user={u.email}>
                    <td>{u.name}</td>
                    <td>{u.email}</td>
                    <td>
                      <label class="sr-only" for={`role-${u.id}`}>
                        Role of {u.email}
                      </label>
                      <select
                        id={`role-${u.id}`}
                        value={u.role}
                        disabled={act.busy}
                        onChange={(e) => {
                          const role = e.currentTarget.value;
                          act.run(() => put(`/users/${u.id}/role`, { role }));
                        }}
                      >
                        <option value="developer">developer</option>
                        <option value="admin">admin</option>
                      </select>
                    </td>
                    <td>{when(u.created_at)}</td>
                    <td>
                      {u.id !== me?.id && (
                        <button type="button" class="danger" disabled={act.busy} onClick={() => act.run(() => del(`/users/${u.id}`), `Remove ${u.email}? Their sessions and IC keys stop working at once.`)}>
                          Remove
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Loaded>
    </section>
  );
}
