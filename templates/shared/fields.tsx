/** @jsxImportSource hono/jsx */
import type { FC } from "hono/jsx";

type FieldProps = {
  label: string;
  name: string;
  type?: "text" | "email" | "url";
  value?: string;
  placeholder?: string;
  autocomplete?: string;
  maxlength?: number;
  required?: boolean;
  autofocus?: boolean;
};

export const TextField: FC<FieldProps> = ({ label, name, type = "text", ...input }) => (
  <label class="field">
    <span class="field__label">{label}</span>
    <input class="field__input" type={type} name={name} {...input} />
  </label>
);

type PasswordProps = { label: string; name: string; autocomplete: string; hint?: string; autofocus?: boolean };

export const PasswordField: FC<PasswordProps> = ({ label, name, autocomplete, hint, autofocus }) => (
  <label class="field">
    <span class="field__label">{label}</span>
    <span class="field__password">
      <input class="field__input" type="password" name={name} autocomplete={autocomplete} maxlength={1024} required autofocus={autofocus} />
      <button type="button" class="field__reveal" data-password-toggle aria-label="Show password">
        Show
      </button>
    </span>
    {hint ? <span class="field__hint">{hint}</span> : null}
  </label>
);
