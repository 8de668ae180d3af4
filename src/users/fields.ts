import { z } from "zod";

// The rules for a person's details, shared by every form that takes them.
export const personName = z.string().trim().min(1, "Please enter a name.").max(100, "Names can be at most 100 characters.");

export const emailAddress = z
  .string()
  .trim()
  .toLowerCase()
  .min(1, "Please enter an email address.")
  .max(254, "That email address is too long.")
  .pipe(z.email("That doesn't look like an email address."));

export const newPassword = z
  .string()
  .min(8, "Please choose a password of at least 8 characters.")
  .max(1024, "Passwords can be at most 1,024 characters.");
