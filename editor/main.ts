/** Entry point of the browser application: defines the shell, which loads each page on demand. */
import './app';
